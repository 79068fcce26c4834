using Seqs.Mdns;
using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>
/// mDNS message handling: the <see cref="FuzzLan"/> device's responder (announced as "seqs") fed queries and
/// responses on the group, unicast (legacy) queries, and clock jumps through probing and announcing after a conflict.
/// Besides the whole-stack invariants: the responder's name stays one valid label, and its counters add up (every
/// message read is answered, suppressed, ignored, malformed or not for it).
/// </summary>
public sealed class MdnsTarget : IFuzzTarget
{
    public string Name => "mdns";

    public void Run(ReadOnlySpan<byte> input)
    {
        using var lan = new FuzzLan();
        var invariants = new StackInvariants(lan);
        var script = new FuzzInput(input);
        while (!script.IsEmpty)
        {
            switch (script.TakeByte() % 3)
            {
                case 0:
                    lan.Inject(NeighbourFrames.Udp(MdnsResponder.MulticastGroup, MdnsResponder.MdnsPort, MdnsResponder.MdnsPort, script.TakeRun()));
                    break;
                case 1:
                    lan.Inject(NeighbourFrames.Udp(lan.DeviceAddress, script.TakeUInt16(), MdnsResponder.MdnsPort, script.TakeRun()));
                    break;
                default:
                    lan.Jump(ref script);
                    break;
            }
            invariants.Check();
            InvariantViolation.Check(DnsName.Encode(lan.Mdns.FullName) is not null && !lan.Mdns.HostName.Contains('.', StringComparison.Ordinal),
                "the responder's name is one label under .local");
        }
    }
}
