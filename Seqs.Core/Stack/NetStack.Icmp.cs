using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Stack;

public sealed partial class NetStack
{
    /// <summary>Echo data a ping sends by default: 56 octets, as iputils ping does.</summary>
    public const int DefaultPingDataLength = 56;

    private ushort _pingSequence;

    /// <summary>Largest echo data that fits the MTU without fragmentation.</summary>
    public int MaxPingDataLength => Mtu - Ipv4Packet.MinHeaderLength - IcmpMessage.HeaderLength;

    /// <summary>
    /// Sends an ICMP echo request (RFC 792) and waits for the reply, an ICMP error about it, or the timeout.
    /// Safe to call from any thread. Throws <see cref="InvalidOperationException"/> when
    /// <see cref="NetStackOptions.MaxOutstandingPings"/> pings are already outstanding.
    /// </summary>
    public Task<PingReply> PingAsync(Ipv4Address destination, TimeSpan timeout, int dataLength = DefaultPingDataLength, CancellationToken cancellationToken = default)
    {
        if ((uint)dataLength > (uint)MaxPingDataLength)
            throw new ArgumentOutOfRangeException(nameof(dataLength), dataLength, $"Echo data must be 0 to {MaxPingDataLength} octets to fit the MTU.");
        if (timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        if (!Loop.IsOnLoopThread)
            return Loop.InvokeAsync(() => PingAsync(destination, timeout, dataLength, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();

        PingSlot slot = TakePingSlot();
        var completion = new TaskCompletionSource<PingReply>();
        slot.InUse = true;
        slot.Completion = completion;
        slot.Destination = destination;
        slot.SequenceNumber = ++_pingSequence;
        slot.SentAt = Loop.Now;
        slot.Timer.Schedule(slot.SentAt + timeout);
        if (cancellationToken.CanBeCanceled)
        {
            slot.Cancellation = cancellationToken.Register(() => Loop.Post(static s =>
            {
                var (pingSlot, token, pingCompletion) = ((PingSlot, CancellationToken, TaskCompletionSource<PingReply>))s!;
                if (pingSlot.Completion == pingCompletion)
                    pingSlot.Cancel(token);
            }, (slot, cancellationToken, completion)));
        }

        Span<byte> icmp = _transmitBuffer.AsSpan(TransportOffset);
        Span<byte> data = icmp.Slice(IcmpMessage.HeaderLength, dataLength);
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)i;
        int length = IcmpMessage.WriteEcho(icmp, IcmpType.EchoRequest, _pingIdentifier, slot.SequenceNumber, data);
        if (!SendIpv4(destination, IpProtocol.Icmp, length))
            slot.Complete(new PingReply(PingStatus.NoRoute, destination, TimeSpan.Zero, 0));
        return completion.Task;
    }

    private PingSlot TakePingSlot()
    {
        for (int i = 0; i < _pings.Length; i++)
        {
            PingSlot? slot = _pings[i] ??= new PingSlot(Loop, OnPingTimeout);
            if (!slot.InUse)
                return slot;
        }
        throw new InvalidOperationException($"{_pings.Length} pings are already outstanding (NetStackOptions.MaxOutstandingPings).");
    }

    private void OnPingTimeout(PingSlot slot) =>
        slot.Complete(new PingReply(PingStatus.TimedOut, slot.Destination, Loop.Now - slot.SentAt, 0));

    private void OnIcmp(Ipv4Packet packet, bool unicast)
    {
        if (!IcmpMessage.TryParse(packet.Payload, out IcmpMessage icmp, out WireRejection rejection))
        {
            Counters.CountMalformed(rejection);
            return;
        }
        switch (icmp.Type)
        {
            case IcmpType.EchoRequest:
                Counters.IcmpEchoRequestsReceived++;
                // Like Linux (icmp_echo_ignore_broadcasts), echo requests to broadcast or multicast go unanswered
                // (RFC 1122 §3.2.2.6 allows either).
                if (unicast)
                    SendEchoReply(packet.SourceAddress, icmp);
                break;
            case IcmpType.EchoReply:
                OnEchoReply(packet.SourceAddress, icmp);
                break;
            case IcmpType.DestinationUnreachable:
            case IcmpType.TimeExceeded:
                Counters.IcmpErrorsReceived++;
                OnIcmpError(packet.SourceAddress, icmp);
                break;
        }
    }

    /// <summary>RFC 792 echo: the reply carries the request's identifier, sequence number and data.</summary>
    private void SendEchoReply(Ipv4Address requester, IcmpMessage request)
    {
        int length = IcmpMessage.WriteEcho(_transmitBuffer.AsSpan(TransportOffset), IcmpType.EchoReply, request.Identifier, request.SequenceNumber, request.Data);
        if (SendIpv4(requester, IpProtocol.Icmp, length))
            Counters.IcmpEchoRepliesSent++;
    }

    private void OnEchoReply(Ipv4Address source, IcmpMessage reply)
    {
        if (reply.Identifier != _pingIdentifier)
            return;
        foreach (PingSlot? slot in _pings)
        {
            if (slot is { InUse: true } && slot.SequenceNumber == reply.SequenceNumber && slot.Destination == source)
            {
                slot.CompleteLater(Loop, new PingReply(PingStatus.Success, source, Loop.Now - slot.SentAt, reply.Data.Length));
                return;
            }
        }
    }

    /// <summary>Matches an ICMP error to the echo request it quotes (RFC 792: the invoking header + 8 octets).</summary>
    private void OnIcmpError(Ipv4Address reporter, IcmpMessage error)
    {
        ReadOnlySpan<byte> quoted = error.Data;
        if (quoted.Length < Ipv4Packet.MinHeaderLength)
            return;
        int headerLength = (quoted[0] & 0x0F) * 4;
        if (headerLength < Ipv4Packet.MinHeaderLength || quoted.Length < headerLength + IcmpMessage.HeaderLength
            || (IpProtocol)quoted[9] != IpProtocol.Icmp || (IcmpType)quoted[headerLength] != IcmpType.EchoRequest)
            return;
        Ipv4Address destination = Ipv4Address.Read(quoted[16..]);
        ushort identifier = (ushort)(quoted[headerLength + 4] << 8 | quoted[headerLength + 5]);
        ushort sequence = (ushort)(quoted[headerLength + 6] << 8 | quoted[headerLength + 7]);
        if (identifier != _pingIdentifier)
            return;
        PingStatus status = error.Type == IcmpType.TimeExceeded ? PingStatus.TimeExceeded : PingStatus.DestinationUnreachable;
        foreach (PingSlot? slot in _pings)
        {
            if (slot is { InUse: true } && slot.SequenceNumber == sequence && slot.Destination == destination)
            {
                slot.CompleteLater(Loop, new PingReply(status, reporter, Loop.Now - slot.SentAt, 0));
                return;
            }
        }
    }

    /// <summary>
    /// Sends an ICMP error about <paramref name="invoking"/>, which the caller has checked was unicast to us.
    /// RFC 1122 §3.2.2: never about an ICMP error, a non-initial fragment, or a source that is not a unicast host;
    /// RFC 1812 §4.3.2.8: rate limited.
    /// </summary>
    private void SendIcmpError(IcmpType type, byte code, Ipv4Packet invoking)
    {
        Ipv4Address source = invoking.SourceAddress;
        if (source.IsUnspecified || source.IsLoopback || invoking.FragmentOffset != 0)
            return;
        if (invoking.Protocol == IpProtocol.Icmp && invoking.Payload.Length > 0 && (IcmpType)invoking.Payload[0] is not (IcmpType.EchoRequest or IcmpType.EchoReply))
            return;
        if (!_icmpErrors.TryTake(Loop.Now))
        {
            Counters.IcmpErrorsRateLimited++;
            return;
        }
        // Received IPv4 packets start right after the untagged Ethernet header (tagged frames are dropped), and
        // the error is built in the other buffer.
        ReadOnlySpan<byte> quoted = _receiveBuffer.AsSpan(IpOffset, invoking.TotalLength);
        Span<byte> icmp = _transmitBuffer.AsSpan(TransportOffset);
        int length = type == IcmpType.TimeExceeded
            ? IcmpMessage.WriteTimeExceeded(icmp, code, quoted)
            : IcmpMessage.WriteDestinationUnreachable(icmp, code, quoted);
        if (SendIpv4(source, IpProtocol.Icmp, length))
            Counters.IcmpErrorsSent++;
    }
}
