using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Hal;
using Seqs.Scheduling;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>
/// An IPv4 host on one Ethernet interface: ARP, IPv4, ICMP and UDP, run by a <see cref="NetLoop"/>. Frames come
/// in through <see cref="Receive"/> (the loop's receive phase) and are handled in place in one receive buffer;
/// everything the stack sends is built in one transmit buffer, with the Ethernet and IPv4 headers written in
/// front of a payload that is copied there once. Nothing on these paths allocates once the stack is warm.
/// All members are for the loop's thread unless they say otherwise.
/// </summary>
public sealed partial class NetStack : ILoopParticipant
{
    private const int IpOffset = EthernetFrame.HeaderLength;
    private const int TransportOffset = IpOffset + Ipv4Packet.MinHeaderLength;

    private readonly IEthernetNic _nic;
    private readonly NetStackOptions _options;
    private readonly ILogger _logger;
    private readonly byte[] _receiveBuffer;
    // The NIC vouches for the TCP or UDP checksum of the frame in _receiveBuffer (IEthernetNic.TryReceive): not checked again.
    private bool _transportChecksumVouched;
    private readonly byte[] _transmitBuffer;
    // The longest TCP segment one IPv4 packet in the transmit buffer carries: one MTU's worth, unless the NIC segments.
    private readonly int _tcpSegmentRoom;
    private readonly BoundedFrameQueue _transmitQueue;
    private readonly Random _random;
    private readonly ArpCache _arpCache;
    // Packets waiting for their next hop's ARP reply.
    private readonly BoundedFrameQueue _arpPending;
    private readonly NetTimer _arpTimer;
    private readonly Ipv4Address[] _multicastGroups;
    // RFC 1812 §4.3.2.8: the rate limit of ICMP errors.
    private readonly TokenBucket _icmpErrors;
    private readonly PingSlot?[] _pings;
    private readonly ushort _pingIdentifier;
    // Copied on change, so the loop reads it without a lock while binds happen on other threads.
    private UdpSocket[] _udpSockets;
    private bool _linkUp;
    private int _linkChanged;
    private ushort _identification;

    public NetStack(NetLoop loop, IEthernetNic nic, NetStackOptions? options = null, ILogger<NetStack>? logger = null, int? randomSeed = null)
    {
        Loop = loop ?? throw new ArgumentNullException(nameof(loop));
        _nic = nic ?? throw new ArgumentNullException(nameof(nic));
        _options = options ?? new NetStackOptions();
        _options.Validate();
        if (nic.MaxFrameSize < TransportOffset + UdpDatagram.HeaderLength)
            throw new ArgumentException($"The NIC's maximum frame size {nic.MaxFrameSize} is too small for IPv4.", nameof(nic));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _random = randomSeed is int seed ? new Random(seed) : new Random();
        Nonces = new NonceSource(randomSeed is null ? null : _random);
        _receiveBuffer = new byte[Math.Max(nic.MaxFrameSize, nic.MaxReceiveFrameSize)];
        // With segmentation offload a TCP segment goes to the NIC as one frame of up to 64 KiB, built in place like the others.
        int transmitFrameSize = Math.Max(nic.MaxFrameSize, nic.MaxSegmentationFrameSize);
        _transmitBuffer = new byte[transmitFrameSize];
        _tcpSegmentRoom = Math.Min(transmitFrameSize - TransportOffset, ushort.MaxValue - Ipv4Packet.MinHeaderLength);
        _transmitQueue = new BoundedFrameQueue(_options.TransmitQueueFrames, transmitFrameSize);
        _arpCache = new ArpCache(_options.ArpCacheSize, _options.ArpEntryLifetime, _options.ArpRequestInterval, _options.ArpRequestAttempts);
        _arpPending = new BoundedFrameQueue(_options.ArpPendingPackets, transmitFrameSize);
        _arpTimer = loop.CreateTimer(OnArpTimer);
        _icmpErrors = new TokenBucket(_options.IcmpErrorsPerSecond, _options.IcmpErrorBurst);
        _multicastGroups = new Ipv4Address[_options.MaxMulticastGroups];
        _pings = new PingSlot?[_options.MaxOutstandingPings];
        _pingIdentifier = (ushort)_random.Next(1, ushort.MaxValue);
        _identification = (ushort)_random.Next(ushort.MaxValue + 1);
        _udpSockets = [];
        ushort mss = (ushort)Math.Min(ushort.MaxValue, Mtu - Ipv4Packet.MinHeaderLength - TcpSegment.MinHeaderLength);
        Tcp = new TcpTable(loop, this, mss, _options.Tcp, _options.MaxTcpConnections, _options.PooledTcpConnections, _options.MaxTcpTimeWaits,
            randomSeed is null ? null : _random);
        _linkUp = nic.IsLinkUp;
        nic.LinkStateChanged += (_, _) => Interlocked.Exchange(ref _linkChanged, 1);
        loop.Attach(this);
    }

    public NetLoop Loop { get; }

    /// <summary>Where the stack and its services draw what an off-path attacker must not guess.</summary>
    internal NonceSource Nonces { get; }

    public MacAddress MacAddress => _nic.MacAddress;

    /// <summary>The IPv4 maximum transmission unit: the NIC's frame size less the Ethernet header.</summary>
    public int Mtu => _nic.MaxFrameSize - EthernetFrame.HeaderLength;

    public NetStackCounters Counters { get; } = new();

    /// <summary>The interface address and prefix, or null while unconfigured.</summary>
    public Ipv4Cidr? Address { get; private set; }

    /// <summary>The default router, or <see cref="Ipv4Address.Any"/> when there is none.</summary>
    public Ipv4Address Gateway { get; private set; }

    public IReadOnlyList<Ipv4Address> DnsServers { get; private set; } = [];

    public bool IsLinkUp => _linkUp;

    /// <summary>Raised on the loop after <see cref="Address"/> changed (configured, replaced or removed).</summary>
    public event EventHandler? AddressChanged;

    /// <summary>
    /// Sets the static IPv4 configuration and announces the address with a gratuitous ARP (RFC 5227 §2.3), which
    /// also refreshes stale caches of the neighbours. The gateway must be on the subnet.
    /// </summary>
    public void Configure(Ipv4Cidr address, Ipv4Address gateway = default, IReadOnlyList<Ipv4Address>? dnsServers = null)
    {
        if (address.Address.IsUnspecified || address.Address.IsBroadcast || address.Address.IsMulticast)
            throw new ArgumentException($"{address} cannot be an interface address.", nameof(address));
        if (!gateway.IsUnspecified && !address.Contains(gateway))
            throw new ArgumentException($"The gateway {gateway} is not on the subnet {address.Network}/{address.PrefixLength}.", nameof(gateway));
        bool changed = Address != address;
        Address = address;
        Gateway = gateway;
        _arpCache.Gateway = gateway;
        DnsServers = dnsServers ?? [];
        if (changed)
        {
            _arpCache.Clear();
            _arpPending.Clear();
            if (_logger.IsEnabled(LogLevel.Information))
                Log.AddressConfigured(_logger, address.ToString(), gateway.ToString());
            SendGratuitousArp();
            AddressChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>
    /// Completes once the interface has an address: at once when it has one, else when <see cref="Configure"/> is
    /// next called (by the application or a DHCP client). Safe from any thread.
    /// </summary>
    public Task WhenConfiguredAsync(CancellationToken cancellationToken = default)
    {
        if (!Loop.IsOnLoopThread)
            return Loop.InvokeAsync(() => WhenConfiguredAsync(cancellationToken));
        if (Address is not null)
            return Task.CompletedTask;
        var configured = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler? onChange = null;
        CancellationTokenRegistration registration = default;
        onChange = (_, _) =>
        {
            if (Address is null)
                return;
            AddressChanged -= onChange;
            registration.Dispose();
            configured.TrySetResult(true);
        };
        AddressChanged += onChange;
        if (cancellationToken.CanBeCanceled)
        {
            registration = cancellationToken.Register(() => Loop.Post(_ =>
            {
                AddressChanged -= onChange;
                configured.TrySetCanceled(cancellationToken);
            }, null));
        }
        return configured.Task;
    }

    /// <summary>Removes the IPv4 configuration; the stack then only accepts broadcasts.</summary>
    public void Deconfigure()
    {
        bool changed = Address is not null;
        Address = null;
        Gateway = default;
        _arpCache.Gateway = default;
        DnsServers = [];
        _arpCache.Clear();
        _arpPending.Clear();
        if (changed)
            AddressChanged?.Invoke(this, EventArgs.Empty);
    }

    int ILoopParticipant.Receive(int maxFrames)
    {
        // A plain read first: the atomic exchange costs more than the check, and the link rarely changes.
        if (Volatile.Read(ref _linkChanged) != 0 && Interlocked.Exchange(ref _linkChanged, 0) != 0)
            OnLinkChanged();
        int frames = 0;
        while (frames < maxFrames && _nic.TryReceive(_receiveBuffer, out int length, out _transportChecksumVouched))
        {
            frames++;
            try
            {
                OnFrame(_receiveBuffer.AsSpan(0, length));
            }
            catch (Exception e)
            {
                // A bug must cost one frame, never the loop.
                Counters.InternalErrors++;
                Log.FrameHandlingFailed(_logger, e);
            }
        }
        Tcp.FlushAfterReceive();
        return frames;
    }

    void ILoopParticipant.Transmit()
    {
        while (_transmitQueue.Count > 0 && TryTransmitToNic(_transmitQueue.PeekHead(), _transmitQueue.HeadSegmentSize))
        {
            CountTransmitted(_transmitQueue.PeekHead().Length);
            _transmitQueue.DequeueHead();
        }
        Tcp.FlushConnectionsWithWork();
    }

    void ILoopParticipant.ArmWakeUp(Action wakeUp) => _nic.ArmWakeUp(wakeUp);

    private void OnLinkChanged()
    {
        bool up = _nic.IsLinkUp;
        if (up == _linkUp)
            return;
        _linkUp = up;
        Log.LinkChanged(_logger, up);
        if (up && Address is not null)
            SendGratuitousArp();
    }

    private void OnFrame(ReadOnlySpan<byte> bytes)
    {
        Counters.FramesReceived++;
        Counters.BytesReceived += bytes.Length;
        if (!EthernetFrame.TryParse(bytes, out EthernetFrame frame, out WireRejection rejection))
        {
            Counters.CountMalformed(rejection);
            return;
        }
        if (frame.HasVlanTag)
        {
            Counters.VlanTagged++;
            return;
        }
        MacAddress destination = frame.Destination;
        if (destination != _nic.MacAddress && !destination.IsMulticast)
        {
            Counters.NotForUs++;
            return;
        }
        switch (frame.EtherType)
        {
            case EtherType.Arp:
                OnArp(frame.Payload);
                break;
            case EtherType.Ipv4:
                OnIpv4(frame.Payload, linkBroadcast: destination.IsMulticast);
                break;
            default:
                Counters.UnsupportedEtherType++;
                break;
        }
    }

    /// <summary>
    /// Sends a frame from the transmit buffer, or queues it when the NIC pushes back. The frame is copied by the
    /// NIC or the queue, so the buffer is free again on return.
    /// </summary>
    /// <summary>
    /// Sends <paramref name="frame"/>, or queues it while the NIC pushes back. A <paramref name="segmentSize"/> other
    /// than 0 marks a large TCP segment the NIC cuts into segments of that much payload (segmentation offload).
    /// </summary>
    private void TransmitFrame(ReadOnlySpan<byte> frame, int segmentSize = 0)
    {
        if (_transmitQueue.Count == 0 && TryTransmitToNic(frame, segmentSize))
        {
            CountTransmitted(frame.Length);
            return;
        }
        if (_transmitQueue.TryEnqueue(frame, segmentSize: segmentSize))
            Counters.TransmitDeferred++;
        else
            Counters.TransmitDropped++;
    }

    private bool TryTransmitToNic(ReadOnlySpan<byte> frame, int segmentSize) =>
        segmentSize == 0 ? _nic.TryTransmit(frame) : _nic.TryTransmitSegmented(frame, segmentSize);

    private void CountTransmitted(int length)
    {
        Counters.FramesTransmitted++;
        Counters.BytesTransmitted += length;
    }

    private ushort NextIdentification() => _identification++;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "IPv4 address {Address}, gateway {Gateway}")]
        public static partial void AddressConfigured(ILogger logger, string address, string gateway);

        [LoggerMessage(2, LogLevel.Information, "Link up: {LinkUp}")]
        public static partial void LinkChanged(ILogger logger, bool linkUp);

        [LoggerMessage(3, LogLevel.Error, "Handling a received frame failed; the frame was dropped")]
        public static partial void FrameHandlingFailed(ILogger logger, Exception exception);

        [LoggerMessage(4, LogLevel.Warning, "Address conflict: {Address} is also claimed by {Mac} (RFC 5227){Suppressed}")]
        public static partial void AddressConflict(ILogger logger, string address, string mac, string suppressed);
    }
}
