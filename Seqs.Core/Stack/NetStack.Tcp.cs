using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Seqs.Tcp;
using TcpListener = Seqs.Tcp.TcpListener;
using Seqs.Wire;

namespace Seqs.Stack;

public sealed partial class NetStack
{
    private readonly List<TcpControlBlock> _tcpConnections = [];
    // Closed control blocks kept for the next connections (NetStackOptions.PooledTcpConnections), so opening one allocates nothing.
    private readonly Stack<TcpControlBlock> _spareTcbs = new();
    private readonly List<TcpListener> _tcpListeners = [];
    private bool _tcpSegmentsInBatch;
    // The ISN and SYN cookie key is made on first use.
    private SipHash? _isnHash;

    /// <summary>The rings of closed connections, for the next ones: two (send and receive) per pooled control block.</summary>
    internal RingPool TcpRings => _tcpRings ??= new RingPool(2 * _options.PooledTcpConnections);

    private RingPool? _tcpRings;

    /// <summary>The options of connections and listeners made without their own (<see cref="NetStackOptions.Tcp"/>).</summary>
    public TcpConnectionOptions DefaultTcpOptions => _options.Tcp;

    /// <summary>Open connections, TIME-WAIT included.</summary>
    public int TcpConnectionCount => _tcpConnections.Count;

    /// <summary>The MSS this host announces: the MTU less the IPv4 and TCP headers (RFC 9293 §3.7.1).</summary>
    public ushort TcpMss => (ushort)Math.Min(ushort.MaxValue, Mtu - Ipv4Packet.MinHeaderLength - TcpSegment.MinHeaderLength);

    /// <summary>
    /// Active open (RFC 9293 §3.10.1) on a new <see cref="TcpConnection"/>: sends a SYN to <paramref name="remote"/>
    /// (resolving it or the gateway by ARP) and completes when the connection is established. Throws
    /// <see cref="SocketException"/>: ConnectionRefused on a RST, TimedOut after
    /// <see cref="TcpConnectionOptions.ConnectTimeout"/>, NetworkUnreachable without a route. Safe from any thread.
    /// <see cref="TcpConnection.ConnectAsync"/> on a connection the caller keeps does the same without allocating.
    /// </summary>
    public Task<TcpConnection> ConnectAsync(Ipv4EndPoint remote, TcpConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!Loop.IsOnLoopThread)
            return ConnectOffLoop(remote, options, cancellationToken);
        var connection = new TcpConnection(this, options);
        ValueTask connecting = connection.ConnectAsync(remote, cancellationToken);
        return Connected(connection, connecting);

        static async Task<TcpConnection> Connected(TcpConnection connection, ValueTask connecting)
        {
            await connecting.ConfigureAwait(true);
            return connection;
        }
    }

    /// <summary>
    /// Opens a control block in SYN-SENT toward <paramref name="remote"/> from a fresh ephemeral port and lists it;
    /// the caller attaches it and then calls <see cref="AfterTcpEvent"/> to send the SYN.
    /// </summary>
    internal TcpControlBlock OpenActive(Ipv4EndPoint remote, TcpConnectionOptions options)
    {
        if (Address is not Ipv4Cidr own)
            throw new SocketException((int)SocketError.NetworkUnreachable);
        if (!TryGetNextHop(remote.Address, out _, out _) || remote.Address.IsBroadcast || remote.Address.IsMulticast)
            throw new SocketException((int)SocketError.NetworkUnreachable);
        if (!HasRoomForTcpConnection())
            throw new SocketException((int)SocketError.TooManyOpenSockets);
        // RFC 6056: a port not in use toward this remote and not a listener's.
        ushort port = PickEphemeralPort((Stack: this, Remote: remote),
            static (s, candidate) => s.Stack.FindTcpConnection(candidate, s.Remote) is not null || s.Stack.FindTcpListener(candidate) is not null);
        var local = new Ipv4EndPoint(own.Address, port);
        TcpControlBlock tcb = TakeTcb(local, remote);
        tcb.OpenActive(options, InitialSequenceNumber(local, remote), TcpMss, Loop.Now);
        List(tcb);
        return tcb;
    }

    /// <summary>A control block for a new connection: a spare one when there is one, else a new one.</summary>
    private TcpControlBlock TakeTcb(Ipv4EndPoint local, Ipv4EndPoint remote)
    {
        if (!_spareTcbs.TryPop(out TcpControlBlock? tcb))
            tcb = new TcpControlBlock { Stack = this };
        tcb.Bind(local, remote);
        return tcb;
    }

    private void List(TcpControlBlock tcb)
    {
        tcb.Listed = true;
        _tcpConnections.Add(tcb);
    }

    /// <summary>A closed control block that no connection holds any more is kept for reuse while the pool has room.</summary>
    private void Recycle(TcpControlBlock tcb)
    {
        tcb.Retire();
        if (_spareTcbs.Count < _options.PooledTcpConnections)
            _spareTcbs.Push(tcb);
    }

    /// <summary>The application let go of <paramref name="tcb"/> (<see cref="TcpConnection"/> disposed or disconnected).</summary>
    internal void OnOrphaned(TcpControlBlock tcb)
    {
        tcb.Dirty = true;
        tcb.TryReleaseBuffers();
        if (tcb.IsClosed && !tcb.Listed)
            Recycle(tcb);
    }

    /// <summary>A listener stopped with <paramref name="tcb"/> established but not accepted: reset it (RFC 9293 §3.10.5).</summary>
    internal void AbortUnaccepted(TcpControlBlock tcb)
    {
        tcb.Abort();
        tcb.Orphan(Loop.Now);
        AfterTcpEvent(tcb);
    }

    internal void AddTcpListener(TcpListener listener)
    {
        if (!Loop.IsOnLoopThread)
        {
            Loop.Post(static s =>
            {
                var (stack, l) = ((NetStack, TcpListener))s!;
                stack.AddTcpListener(l);
            }, (this, listener));
            return;
        }
        foreach (TcpListener other in _tcpListeners)
        {
            if (other.Port == listener.Port)
                throw new SocketException((int)SocketError.AddressAlreadyInUse);
        }
        _tcpListeners.Add(listener);
    }

    internal void RemoveTcpListener(TcpListener listener) => _tcpListeners.Remove(listener);

    internal void OnTcpTimer(TcpControlBlock tcb)
    {
        int retransmissions = tcb.Retransmissions;
        tcb.OnTimer(Loop.Now);
        // From the second timeout in a row, suspect the link-layer address (RFC 1122 §2.3.2.1, higher-layer advice):
        // a wrong ARP entry would otherwise black-hole the connection until the entry's lifetime ends.
        if (tcb.Retransmissions > retransmissions && tcb.Backoff >= 2
            && TryGetNextHop(tcb.Remote.Address, out Ipv4Address nextHop, out _) && !nextHop.IsUnspecified)
            _arpCache.MarkStale(nextHop, Loop.Now);
        AfterTcpEvent(tcb);
    }

    private void OnTcp(Ipv4Packet packet, bool unicast)
    {
        if (!TcpSegment.TryParse(packet.Payload, out TcpSegment tcp, out WireRejection rejection))
        {
            Counters.CountMalformed(rejection);
            return;
        }
        if (!tcp.VerifyChecksum(packet.SourceAddress, packet.DestinationAddress))
        {
            Counters.TcpChecksumErrors++;
            return;
        }
        // RFC 1122 §4.2.3.10: a segment to a broadcast or multicast address MUST be silently discarded.
        if (!unicast || Address is not Ipv4Cidr own)
            return;
        Counters.TcpSegmentsReceived++;
        Segment seg = ReadSegment(tcp);
        var local = new Ipv4EndPoint(own.Address, tcp.DestinationPort);
        var remote = new Ipv4EndPoint(packet.SourceAddress, tcp.SourcePort);
        TcpControlBlock? connection = FindTcpConnection(local.Port, remote);
        if (connection is not null && connection.TryEndTimeWaitFor(seg))
        {
            AfterTcpEvent(connection);
            connection = null;
        }
        // A connection that closed earlier in this receive batch is gone as far as new segments are concerned.
        if (connection is not null && !connection.IsClosed)
        {
            connection.OnSegment(seg, tcp.Payload, Loop.Now);
            // What the segment calls for (ACKs, data, wake-ups) is done once at the end of the receive batch, so
            // that a burst of segments is acknowledged by one ACK, as GRO lets the Linux kernel do.
            connection.Dirty = true;
            _tcpSegmentsInBatch = true;
            return;
        }
        OnSegmentWithoutConnection(seg, tcp.Payload, local, remote);
    }

    /// <summary>
    /// A segment no connection takes: a listener's, or answered with a reset. Out of line, so that its temporaries do
    /// not widen the frame <see cref="OnTcp"/> clears for every segment.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnSegmentWithoutConnection(in Segment seg, ReadOnlySpan<byte> payload, Ipv4EndPoint local, Ipv4EndPoint remote)
    {
        TcpListener? listener = FindTcpListener(local.Port);
        if (listener is not null)
        {
            OnSegmentToListener(listener, seg, payload, local, remote);
            return;
        }
        // RFC 9293 §3.10.7.1: a segment for no connection is answered with a reset (never a reset for a reset).
        if (TcpControlBlock.ResetFor(seg) is Segment reset)
        {
            Counters.TcpResetsSent++;
            SendTcpSegment(local, remote, reset);
        }
    }

    /// <summary>
    /// RFC 9293 §3.10.7.2: LISTEN. When the listener's SYN queue is full, the SYN is answered with a SYN cookie
    /// (RFC 4987 §3.6) instead of new state, so a SYN flood costs no memory and real clients still get in.
    /// </summary>
    private void OnSegmentToListener(TcpListener listener, in Segment seg, ReadOnlySpan<byte> payload, Ipv4EndPoint local, Ipv4EndPoint remote)
    {
        // "First, check for a RST: an incoming RST should be ignored."
        if (seg.HasRst)
            return;
        // "Second, check for an ACK: any acknowledgment is bad ... form a reset <SEQ=SEG.ACK><CTL=RST>" - unless it
        // completes a handshake this listener answered with a SYN cookie.
        if (seg.HasAck)
        {
            if (!seg.HasSyn && TryTakeSynCookie(seg, local, remote, out ushort peerMss))
            {
                if (listener.BacklogFull || !HasRoomForTcpConnection())
                {
                    listener.DroppedSyns++;
                    Counters.TcpSynsDropped++;
                    return;
                }
                Counters.TcpSynCookiesAccepted++;
                TcpControlBlock fromCookie = TakeTcb(local, remote);
                fromCookie.OpenFromSynCookie(listener.Options, TcpMss, peerMss, seg, Loop.Now);
                fromCookie.Listener = listener;
                listener.HalfOpen++;
                List(fromCookie);
                fromCookie.OnSegment(seg, payload, Loop.Now);
                AfterTcpEvent(fromCookie);
                return;
            }
            Counters.TcpResetsSent++;
            SendTcpSegment(local, remote, new Segment(seg.Ack, default, TcpFlags.Rst, 0));
            return;
        }
        if (!seg.HasSyn)
            return;
        if (listener.BacklogFull || !HasRoomForTcpConnection())
        {
            listener.DroppedSyns++;
            Counters.TcpSynsDropped++;
            return;
        }
        if (!listener.SynQueueHasRoom)
        {
            Counters.TcpSynCookiesSent++;
            SeqNumber cookie = SynCookie(local, remote, seg.Seq, CookieMssIndex(seg.MaximumSegmentSize), CookieTime());
            SendTcpSegment(local, remote, TcpControlBlock.CookieSynAck(listener.Options, seg, cookie, TcpMss, Loop.Now));
            return;
        }
        TcpControlBlock tcb = TakeTcb(local, remote);
        tcb.OpenPassive(listener.Options, InitialSequenceNumber(local, remote), TcpMss, seg, Loop.Now);
        tcb.Listener = listener;
        listener.HalfOpen++;
        List(tcb);
        AfterTcpEvent(tcb);
    }

    /// <summary>
    /// After any change to a connection: send what it has, rearm its timer, wake its waiters, retire it if done.
    /// With <paramref name="deferAck"/>, an ACK that <see cref="TcpControlBlock.MayDeferAck"/> waits for the
    /// transmit phase (the connection stays dirty), and so does the timer, which is rearmed after sending.
    /// </summary>
    internal void AfterTcpEvent(TcpControlBlock tcb, bool deferAck = false)
    {
        if (!deferAck || !tcb.MayDeferAck)
        {
            FlushTcp(tcb);
            if (tcb.NextDeadline is TimeSpan deadline)
                Loop.Schedule(tcb, deadline);
            else
                Loop.Cancel(tcb);
        }

        if (tcb.Listener is TcpListener listener)
        {
            if (tcb.State is not (TcpState.SynReceived or TcpState.Closed))
            {
                tcb.Listener = null;
                listener.OnEstablished(tcb);
            }
            else if (tcb.IsClosed)
            {
                // Died half-open (reset, or its SYN,ACK never answered): nobody will accept it, so it is reused.
                tcb.Listener = null;
                listener.OnHalfOpenClosed();
                tcb.Orphan(Loop.Now);
            }
        }
        tcb.Owner?.OnStateChanged(tcb);
        if (tcb.IsOrphaned)
            tcb.TryReleaseBuffers();
        if (tcb.IsClosed && tcb.Listed)
        {
            Loop.Cancel(tcb);
            tcb.Listed = false;
            _tcpConnections.Remove(tcb);
            if (tcb.IsOrphaned)
                Recycle(tcb);
        }
    }

    /// <summary>
    /// Whether another connection fits the table; when it is full, the connection closest to the end of its
    /// TIME-WAIT is ended early to make room (its only duty, absorbing stray old segments, matters least).
    /// </summary>
    private bool HasRoomForTcpConnection()
    {
        if (_tcpConnections.Count < _options.MaxTcpConnections)
            return true;
        TcpControlBlock? oldest = null;
        foreach (TcpControlBlock tcb in _tcpConnections)
        {
            if (tcb.TimeWaitEnd is TimeSpan end && (oldest is null || end < oldest.TimeWaitEnd))
                oldest = tcb;
        }
        if (oldest is null || !oldest.TryEvictTimeWait())
            return false;
        Counters.TcpTimeWaitsEvicted++;
        AfterTcpEvent(oldest);
        return true;
    }

    /// <summary>ARP gave up on <paramref name="nextHop"/>: connections being opened through it fail now.</summary>
    private void OnNextHopUnreachable(Ipv4Address nextHop)
    {
        for (int i = _tcpConnections.Count - 1; i >= 0; i--)
        {
            TcpControlBlock tcb = _tcpConnections[i];
            if (tcb.State == TcpState.SynSent && TryGetNextHop(tcb.Remote.Address, out Ipv4Address hop, out _) && hop == nextHop)
            {
                tcb.OnNextHopUnreachable();
                AfterTcpEvent(tcb);
            }
        }
    }

    internal static SocketException ConnectError(TcpError error) => new((int)(error switch
    {
        TcpError.ConnectionRefused => SocketError.ConnectionRefused,
        TcpError.HostUnreachable => SocketError.HostUnreachable,
        TcpError.TimedOut => SocketError.TimedOut,
        TcpError.Aborted => SocketError.OperationAborted,
        _ => SocketError.ConnectionReset,
    }));

    private void FlushTcp(TcpControlBlock tcb)
    {
        tcb.Dirty = false;
        // Stop when the NIC pushes back; the rest goes in a later transmit phase. Data sits after the options the
        // next data segment carries (timestamps, SACK blocks), so the payload is copied once, to its final place.
        while (_transmitQueue.Count == 0
            && tcb.TryBuildSegment(Loop.Now, _transmitBuffer.AsSpan(TransportOffset + TcpSegment.MinHeaderLength + tcb.DataOptionsLength), out Segment segment))
            SendTcpSegment(tcb.Local, tcb.Remote, segment);
        if (_transmitQueue.Count > 0 && tcb.WantsToSend)
            tcb.Dirty = true;
    }

    /// <summary>
    /// The end of a receive batch: connections that received segments send what they have and wake their waiters,
    /// whose continuations run in this turn's queued work. The ACK of a FIN waits for the transmit phase, after that
    /// work (<see cref="TcpControlBlock.MayDeferAck"/>), so that an application that closes at once sends one FIN,ACK.
    /// </summary>
    private void FlushTcpAfterReceive()
    {
        if (!_tcpSegmentsInBatch)
            return;
        _tcpSegmentsInBatch = false;
        FlushDirtyTcpConnections(deferAcks: true);
    }

    /// <summary>The loop's transmit phase: connections that received segments or that the application touched send what they now can.</summary>
    private void FlushDirtyTcpConnections(bool deferAcks = false)
    {
        for (int i = 0; i < _tcpConnections.Count; i++)
        {
            TcpControlBlock tcb = _tcpConnections[i];
            if (!tcb.Dirty)
                continue;
            int before = _tcpConnections.Count;
            AfterTcpEvent(tcb, deferAcks);
            if (_tcpConnections.Count < before)
                i--;
        }
    }

    /// <summary>
    /// The fields of an arriving segment the control block reasons about. Kept out of line, so that its temporaries do
    /// not widen the frame of <see cref="OnTcp"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Segment ReadSegment(in TcpSegment tcp)
    {
        ref readonly TcpOptions options = ref tcp.ParsedOptionsRef;
        return new Segment(new SeqNumber(tcp.SequenceNumber), new SeqNumber(tcp.AcknowledgmentNumber), tcp.Flags,
            tcp.WindowSize, tcp.Payload.Length, options.MaximumSegmentSize ?? 0,
            options.HasTimestamps ? new TcpTimestamps(options.TimestampValue, options.TimestampEchoReply) : null)
        {
            WindowScale = options.WindowScale,
            SackPermitted = options.SackPermitted,
            Sack = ReadSackBlocks(options),
        };
    }

    private static SackBlocks ReadSackBlocks(in TcpOptions options)
    {
        if (options.SackBlockCount == 0)
            return default;
        var blocks = new SackBlocks();
        for (int i = 0; i < options.SackBlockCount; i++)
        {
            (uint left, uint right) = options.GetSackBlock(i);
            blocks.TryAdd(new SackBlock(new SeqNumber(left), new SeqNumber(right)));
        }
        return blocks;
    }

    /// <summary>
    /// Writes the TCP header and its options in front of the payload already in place, and sends. Data segments'
    /// options are exactly <see cref="TcpControlBlock.DataOptionsLength"/> octets, the room <see cref="FlushTcp"/>
    /// left before the payload.
    /// </summary>
    private void SendTcpSegment(Ipv4EndPoint local, Ipv4EndPoint remote, in Segment segment)
    {
        Span<byte> tcp = _transmitBuffer.AsSpan(TransportOffset);
        int optionsLength = 0;
        if (segment.MaximumSegmentSize != 0 || segment.Timestamps is not null || segment.Sack.Count > 0)
            optionsLength = WriteTcpOptions(tcp[TcpSegment.MinHeaderLength..(TcpSegment.MinHeaderLength + TcpOptions.MaxLength)], segment);
        int headerLength = TcpSegment.WriteHeader(tcp, local.Port, remote.Port, segment.Seq.Value, segment.Ack.Value,
            segment.Flags, (ushort)segment.Window, optionsLength);
        int length = headerLength + segment.DataLength;
        TcpSegment.WriteChecksum(tcp[..length], local.Address, remote.Address);
        if (SendIpv4(remote.Address, IpProtocol.Tcp, length))
            Counters.TcpSegmentsSent++;
    }

    /// <summary>
    /// The options in the order Linux sends them, each 32-bit aligned as RFC 7323 Appendix A suggests: on a SYN, MSS,
    /// SACK-permitted with timestamps (or NOPs in their place), NOP and window scale; on other segments, NOP, NOP and
    /// timestamps, then NOP, NOP and the SACK blocks.
    /// </summary>
    private static int WriteTcpOptions(Span<byte> area, in Segment segment)
    {
        var options = new TcpOptionWriter(area);
        if (segment.MaximumSegmentSize != 0)
            options.WriteMaximumSegmentSize(segment.MaximumSegmentSize);
        if (segment.SackPermitted)
        {
            if (segment.Timestamps is null)
            {
                options.WriteNop();
                options.WriteNop();
            }
            options.WriteSackPermitted();
        }
        if (segment.Timestamps is TcpTimestamps timestamps)
        {
            if (!segment.SackPermitted)
            {
                options.WriteNop();
                options.WriteNop();
            }
            options.WriteTimestamps(timestamps.Value, timestamps.EchoReply);
        }
        if (segment.WindowScale is byte shift)
        {
            options.WriteNop();
            options.WriteWindowScale(shift);
        }
        if (segment.Sack.Count > 0)
        {
            options.WriteNop();
            options.WriteNop();
            Span<(uint Left, uint Right)> blocks = stackalloc (uint, uint)[segment.Sack.Count];
            for (int i = 0; i < blocks.Length; i++)
                blocks[i] = (segment.Sack[i].Left.Value, segment.Sack[i].Right.Value);
            options.WriteSackBlocks(blocks);
        }
        return options.Finish();
    }

    private TcpControlBlock? FindTcpConnection(ushort localPort, Ipv4EndPoint remote)
    {
        for (int i = 0; i < _tcpConnections.Count; i++)
        {
            TcpControlBlock tcb = _tcpConnections[i];
            if (tcb.Local.Port == localPort && tcb.Remote == remote)
                return tcb;
        }
        return null;
    }

    private TcpListener? FindTcpListener(ushort port)
    {
        foreach (TcpListener listener in _tcpListeners)
        {
            if (listener.Port == port)
                return listener;
        }
        return null;
    }

    /// <summary>
    /// RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), with M a 4 µs clock and F a
    /// keyed pseudorandom function (SipHash-2-4 under a per-stack random key, as Linux uses), so sequence numbers are
    /// unpredictable to off-path attackers yet increase for one 4-tuple.
    /// </summary>
    private SeqNumber InitialSequenceNumber(Ipv4EndPoint local, Ipv4EndPoint remote)
    {
        Span<byte> input = stackalloc byte[12];
        WriteFourTuple(input, local, remote);
        uint f = (uint)IsnHash.Compute(input);
        uint m = (uint)(Loop.Now.Ticks / 40);
        return new SeqNumber(unchecked(m + f));
    }

    private static void WriteFourTuple(Span<byte> destination, Ipv4EndPoint local, Ipv4EndPoint remote)
    {
        local.Address.Write(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], local.Port);
        remote.Address.Write(destination[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], remote.Port);
    }

    /// <summary>A seeded stack (simulation) derives the key from its seed, so runs replay; others use the OS generator.</summary>
    private SipHash IsnHash
    {
        get
        {
            if (_isnHash is SipHash hash)
                return hash;
            Span<byte> key = stackalloc byte[16];
            if (_seeded)
                _random.NextBytes(key);
            else
                RandomNumberGenerator.Fill(key);
            _isnHash = hash = SipHash.FromKey(key);
            return hash;
        }
    }

    /// <summary>The MSS values a SYN cookie can carry in its 2-bit index (the common ones, as Linux's table does).</summary>
    private static readonly ushort[] s_cookieMss = [536, 1220, 1440, 1460];

    private static int CookieMssIndex(ushort peerMss)
    {
        int index = 0;
        for (int i = 0; i < s_cookieMss.Length; i++)
        {
            if (s_cookieMss[i] <= (peerMss == 0 ? TcpControlBlock.DefaultMss : peerMss))
                index = i;
        }
        return index;
    }

    /// <summary>A 5-bit counter that moves every 64 s: a cookie is good for one to two periods.</summary>
    private uint CookieTime() => (uint)(Loop.Now.Ticks / (64 * TimeSpan.TicksPerSecond)) & 0x1F;

    /// <summary>
    /// RFC 4987 §3.6: the ISS of a stateless SYN,ACK: time counter (5 bits) | MSS index (2 bits) | a 25-bit keyed
    /// hash of the 4-tuple, the client's ISN and the counter. Only the peer that saw the SYN,ACK can echo it + 1.
    /// </summary>
    private SeqNumber SynCookie(Ipv4EndPoint local, Ipv4EndPoint remote, SeqNumber clientIsn, int mssIndex, uint time)
    {
        Span<byte> input = stackalloc byte[12 + 4 + 1];
        WriteFourTuple(input, local, remote);
        BinaryPrimitives.WriteUInt32BigEndian(input[12..], clientIsn.Value);
        input[16] = (byte)(time << 2 | (uint)mssIndex);
        uint mac = (uint)IsnHash.Compute(input) & 0x01FF_FFFF;
        return new SeqNumber(time << 27 | (uint)mssIndex << 25 | mac);
    }

    /// <summary>Checks that SEG.ACK - 1 is a cookie this stack issued for this 4-tuple in the current or previous period.</summary>
    private bool TryTakeSynCookie(in Segment seg, Ipv4EndPoint local, Ipv4EndPoint remote, out ushort peerMss)
    {
        peerMss = 0;
        uint cookie = (seg.Ack - 1).Value;
        uint time = cookie >> 27;
        int mssIndex = (int)(cookie >> 25 & 0x3);
        uint now = CookieTime();
        if (time != now && time != ((now - 1) & 0x1F))
            return false;
        if (SynCookie(local, remote, seg.Seq - 1, mssIndex, time).Value != cookie)
            return false;
        peerMss = s_cookieMss[mssIndex];
        return true;
    }

    private Task<TcpConnection> ConnectOffLoop(Ipv4EndPoint remote, TcpConnectionOptions? options, CancellationToken cancellationToken) =>
        Loop.InvokeAsync(() => ConnectAsync(remote, options, cancellationToken));
}
