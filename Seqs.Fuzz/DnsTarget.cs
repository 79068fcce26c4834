using System.Buffers.Binary;
using Seqs.Dns;
using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>
/// The DNS resolver's response handling: the <see cref="FuzzLan"/> device looks up names at the neighbour (its DHCP-given
/// server), and the neighbour answers with the input's messages. A step's first byte says whether the answer keeps
/// its own ID or takes the pending query's (so it is read, not dropped as unasked) and whether it comes from port
/// 53. A lookup must end with addresses or a <see cref="DnsResolveException"/>, never another exception.
/// </summary>
public sealed class DnsTarget : IFuzzTarget
{
    private static readonly string[] Names = ["host.example", "www.example.com", "seqs.local"];

    public string Name => "dns";

    public void Run(ReadOnlySpan<byte> input)
    {
        using var lan = new FuzzLan();
        var invariants = new StackInvariants(lan);
        var resolver = new DnsResolver(lan.Device, new DnsResolverOptions { CacheSize = 4 });
        (ushort Port, ushort Id)? query = null;
        lan.Simulation.FrameDelivered += (_, receiver, frame) =>
        {
            if (receiver == lan.NeighbourNic && TryReadQuery(frame, out ushort port, out ushort id))
                query = (port, id);
        };
        var script = new FuzzInput(input);
        Task<IReadOnlyList<Ipv4Address>>? lookup = null;
        while (!script.IsEmpty)
        {
            byte step = script.TakeByte();
            if (lookup is null || lookup.IsCompleted)
            {
                Check(lookup);
                string name = Names[step % Names.Length];
                lookup = lan.Device.Loop.InvokeAsync(async () => await resolver.ResolveAsync(name));
                lan.Settle();
            }
            if ((step & 0x80) != 0)
            {
                lan.Jump(ref script);
            }
            else
            {
                byte[] answer = script.TakeRun().ToArray();
                if ((step & 0x40) == 0 && query is { } asked && answer.Length >= 2)
                    BinaryPrimitives.WriteUInt16BigEndian(answer, asked.Id);
                ushort sourcePort = (step & 0x20) == 0 ? DnsResolver.ServerPort : (ushort)5353;
                lan.Inject(NeighbourFrames.Udp(lan.DeviceAddress, sourcePort, query?.Port ?? 1024, answer));
            }
            invariants.Check();
        }
        lan.Simulation.RunFor(TimeSpan.FromSeconds(10));
        Check(lookup);
    }

    private static void Check(Task<IReadOnlyList<Ipv4Address>>? lookup)
    {
        if (lookup is null || !lookup.IsCompleted)
            return;
        if (lookup.IsFaulted && lookup.Exception!.InnerException is not DnsResolveException)
            throw new InvariantViolation($"a lookup failed with {lookup.Exception.InnerException!.GetType().Name}, not a DnsResolveException", lookup.Exception.InnerException);
    }

    /// <summary>The resolver's query as the neighbour receives it: its source port and ID.</summary>
    private static bool TryReadQuery(ReadOnlySpan<byte> frame, out ushort port, out ushort id)
    {
        port = id = 0;
        if (!WireCapture.TryReadUdp(frame, out UdpDatagram udp) || udp.DestinationPort != DnsResolver.ServerPort || udp.Payload.Length < 2)
            return false;
        port = udp.SourcePort;
        id = BinaryPrimitives.ReadUInt16BigEndian(udp.Payload);
        return true;
    }
}
