using System.Buffers.Binary;
using Seqs.Dhcp;
using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>
/// DHCP message handling on both sides of a <see cref="FuzzLan"/>: server replies to the device's client (mid-lease;
/// clock jumps take it into renewing, rebinding and expiry) and client messages to the neighbour's server. Besides the
/// whole-stack invariants: the server's leases stay inside its pool, one per address; a bound client has its lease's
/// address configured, and its renewal, rebinding and expiry come in that order. Replies take the client's current
/// transaction ID (seen on the wire) unless the step says otherwise, so the fuzzer need not guess it.
/// </summary>
public sealed class DhcpTarget : IFuzzTarget
{
    private const int PoolSize = 4;

    // RFC 2131 §2: op, htype, hlen and hops come before xid.
    private const int TransactionIdOffset = 4;

    public string Name => "dhcp";

    public void Run(ReadOnlySpan<byte> input)
    {
        using var lan = new FuzzLan();
        var invariants = new StackInvariants(lan);
        uint? transaction = null;
        lan.Simulation.FrameDelivered += (_, receiver, frame) =>
        {
            if (receiver == lan.NeighbourNic && TryReadClientTransaction(frame, out uint xid))
                transaction = xid;
        };
        var script = new FuzzInput(input);
        while (!script.IsEmpty)
        {
            byte step = script.TakeByte();
            switch (step % 4)
            {
                case 0:
                    lan.Inject(NeighbourFrames.Udp(lan.DeviceAddress, DhcpMessage.ServerPort, DhcpMessage.ClientPort, Reply(ref script, step, transaction)));
                    break;
                case 1:
                    lan.Inject(NeighbourFrames.Udp(Ipv4Address.Broadcast, DhcpMessage.ServerPort, DhcpMessage.ClientPort, Reply(ref script, step, transaction)));
                    break;
                case 2:
                    lan.InjectFromDevice(Simulation.PeerFrames.Udp(FuzzLan.DeviceMac, MacAddress.Broadcast, new Ipv4EndPoint(Ipv4Address.Any, DhcpMessage.ClientPort),
                        new Ipv4EndPoint(Ipv4Address.Broadcast, DhcpMessage.ServerPort), script.TakeRun()));
                    break;
                default:
                    lan.Jump(ref script);
                    break;
            }
            invariants.Check();
            Check(lan);
        }
    }

    /// <summary>A server reply; unless the step's bit 6 is set it carries the client's last transaction ID, so it is read, not dropped.</summary>
    private static byte[] Reply(ref FuzzInput script, byte step, uint? transaction)
    {
        byte[] reply = script.TakeRun().ToArray();
        if ((step & 0x40) == 0 && transaction is { } xid && reply.Length >= TransactionIdOffset + 4)
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(TransactionIdOffset), xid);
        return reply;
    }

    /// <summary>The transaction ID of a message the device's client sent, as the neighbour receives it.</summary>
    private static bool TryReadClientTransaction(ReadOnlySpan<byte> frame, out uint xid)
    {
        xid = 0;
        if (!WireCapture.TryReadUdp(frame, out UdpDatagram udp) || udp.SourcePort != DhcpMessage.ClientPort
            || !DhcpMessage.TryParse(udp.Payload, out DhcpMessage message, out _))
            return false;
        xid = message.TransactionId;
        return true;
    }

    private static void Check(FuzzLan lan)
    {
        IReadOnlyList<DhcpLease> leases = lan.DhcpServer.Leases;
        InvariantViolation.Check(leases.Count <= PoolSize, "the server holds at most one lease per pool address");
        InvariantViolation.Check(leases.Select(l => l.Address).Distinct().Count() == leases.Count, "no address is leased twice");
        InvariantViolation.Check(leases.All(l => l.Address.Value is >= (10 << 24) + 100 and <= (10 << 24) + 103), "every lease is inside the pool");
        if (lan.DhcpClient.State == DhcpClientState.Bound && lan.DhcpClient.Lease is { } lease)
        {
            InvariantViolation.Check(lan.Device.Address == lease.Address, "a bound client's address is configured on the stack");
            InvariantViolation.Check(lease.RenewAt <= lease.RebindAt && lease.RebindAt <= lease.ExpiresAt, "T1 =< T2 =< lease expiry");
        }
    }
}
