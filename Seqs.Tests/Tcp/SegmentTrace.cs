using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Tcp;

/// <summary>Prints every frame a simulated pair delivers, TCP segments in detail, for replaying a failing seed.</summary>
internal static class SegmentTrace
{
    public static void Attach(SimulatedPair pair)
    {
        pair.Simulation.FrameDelivered += (time, nic, frame) =>
        {
            string direction = nic == pair.NicA ? "->A" : "->B";
            if (EthernetFrame.TryParse(frame, out EthernetFrame e, out _) && Ipv4Packet.TryParse(e.Payload, out Ipv4Packet ip, out _) && TcpSegment.TryParse(ip.Payload, out TcpSegment t, out _))
                TestContext.Out.WriteLine($"{time.TotalMilliseconds,8} {direction} {t.SourcePort}>{t.DestinationPort} seq={t.SequenceNumber} ack={t.AcknowledgmentNumber} {t.Flags} win={t.WindowSize} len={t.Payload.Length} {t.ParsedOptions} ck={t.VerifyChecksum(ip.SourceAddress, ip.DestinationAddress)}");
            else
                TestContext.Out.WriteLine($"{time.TotalMilliseconds,8} {direction} other {frame.Length}");
        };
    }

    /// <summary>Runs the first failing seed of <paramref name="failures"/> ("seed N: ...") again with the trace on.</summary>
    public static void Replay(List<string> failures, Func<int, bool, string?> run)
    {
        if (failures.Count == 0)
            return;
        // The run is deterministic, so this is the same failure again, now with every segment printed.
        int seed = int.Parse(failures[0].Split(' ', ':')[1], System.Globalization.CultureInfo.InvariantCulture);
        run(seed, true);
    }
}
