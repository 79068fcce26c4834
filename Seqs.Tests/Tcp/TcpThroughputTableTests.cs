using System.Globalization;
using System.Text;
using Seqs.Simulation;
using Seqs.Tcp;

namespace Seqs.Tests.Tcp;

/// <summary>
/// In the spirit of smoltcp's netsim (tests/netsim.rs; docs/reference/peer-stacks.md#smoltcp): bulk TCP throughput
/// over a simulated 10 Mbit/s link for a grid of congestion control, buffer size, one-way delay and loss rate, in
/// virtual time, so every cell is exact and replays. The table is checked in (docs/tcp-netsim.md); the test fails when
/// a cell moves by more than 3 %, or when a cell breaks what physics and the Mathis formula allow.
/// Set SEQS_NETSIM_UPDATE=1 to write the new table after a deliberate change.
/// </summary>
public sealed class TcpThroughputTableTests
{
    private const long LinkBitsPerSecond = 10_000_000;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(15);

    private static readonly CongestionControlAlgorithm[] Algorithms = [CongestionControlAlgorithm.NewReno, CongestionControlAlgorithm.Cubic];
    private static readonly int[] Buffers = [16 << 10, 64 << 10, 256 << 10];
    private static readonly int[] DelaysMs = [1, 10, 50];
    private static readonly double[] Losses = [0, 0.001, 0.01, 0.05];

    /// <summary>Payload rate of the link: 1448 octets of data (timestamps on) per 1514-octet frame (the simulator counts frames).</summary>
    private const double PayloadCeilingMbps = LinkBitsPerSecond / 1e6 * 1448 / 1514;

    private sealed record Cell(CongestionControlAlgorithm Algorithm, int Buffer, int DelayMs, double Loss, double Mbps)
    {
        public string Key => string.Create(CultureInfo.InvariantCulture, $"{Algorithm} {Buffer >> 10} KiB {DelayMs} ms {Loss:P1}");

        /// <summary>
        /// Mathis et al. (1997): throughput ≤ (MSS / RTT) · √(3/2) / √p for a Reno-style sender with loss rate p; RTT
        /// is twice the delay plus a frame's serialization.
        /// </summary>
        public double MathisMbps => Loss == 0 ? double.PositiveInfinity : 1448 * 8 / RoundTripSeconds * Math.Sqrt(1.5) / Math.Sqrt(Loss) / 1e6;

        public double RoundTripSeconds => 2 * DelayMs / 1000.0 + 1514 * 8.0 / LinkBitsPerSecond;
    }

    [Test]
    public void BulkThroughput_MatchesTheCheckedInTable_AndThePhysics()
    {
        var cells = new List<Cell>();
        foreach (CongestionControlAlgorithm algorithm in Algorithms)
        {
            foreach (int buffer in Buffers)
            {
                foreach (int delay in DelaysMs)
                {
                    foreach (double loss in Losses)
                        cells.Add(new Cell(algorithm, buffer, delay, loss, Run(algorithm, buffer, delay, loss)));
                }
            }
        }
        string table = Format(cells);
        TestContext.Out.WriteLine(table);
        string path = Path.Combine(RepositoryDirectory.Find(), "docs", "tcp-netsim.md");
        if (Environment.GetEnvironmentVariable("SEQS_NETSIM_UPDATE") == "1")
            File.WriteAllText(path, table);

        Dictionary<string, double> expected = Parse(File.ReadAllText(path));
        using (Assert.EnterMultipleScope())
        {
            foreach (Cell cell in cells)
            {
                Assert.That(expected.ContainsKey(cell.Key), Is.True, $"{cell.Key} is in {path}");
                if (expected.TryGetValue(cell.Key, out double mbps))
                    Assert.That(cell.Mbps, Is.EqualTo(mbps).Within(3).Percent.Or.EqualTo(mbps).Within(0.05), $"{cell.Key} against the checked-in table");
                Assert.That(cell.Mbps, Is.LessThanOrEqualTo(PayloadCeilingMbps * 1.001), $"{cell.Key}: no faster than the link");
                double windowLimit = cell.Buffer * 8 / cell.RoundTripSeconds / 1e6;
                if (cell.Loss == 0)
                    Assert.That(cell.Mbps, Is.GreaterThan(0.8 * Math.Min(PayloadCeilingMbps, windowLimit)), $"{cell.Key}: a lossless link is filled, up to what the window allows");
                // With 1 % loss on a path where the window and the link are not the limit, Reno-style recovery with
                // SACK should land near the Mathis bound: within a factor of two either way.
                if (cell.Algorithm == CongestionControlAlgorithm.NewReno && cell.Loss == 0.01 && cell.MathisMbps < 0.5 * Math.Min(PayloadCeilingMbps, windowLimit))
                    Assert.That(cell.Mbps / cell.MathisMbps, Is.InRange(0.5, 2.0), $"{cell.Key}: against Mathis {cell.MathisMbps:F2} Mbit/s");
            }
        }
    }

    /// <summary>Stack A writes to B's discard service for the warm-up and the measured time; returns payload Mbit/s measured.</summary>
    private static double Run(CongestionControlAlgorithm algorithm, int buffer, int delayMs, double loss)
    {
        var faults = new LinkFaults
        {
            Seed = 1,
            BitsPerSecond = LinkBitsPerSecond,
            PropagationDelay = TimeSpan.FromMilliseconds(delayMs),
            LossProbability = loss,
        };
        var options = new TcpConnectionOptions { SendBufferSize = buffer, ReceiveBufferSize = buffer, CongestionControl = algorithm };
        using var pair = new SimulatedPair(faults);
        using var upload = new BulkUpload(pair, options, chunkSize: 16 << 10);
        pair.Simulation.RunFor(Warmup);
        long before = upload.OctetsDiscarded;
        pair.Simulation.RunFor(Measured);
        return (upload.OctetsDiscarded - before) * 8 / Measured.TotalSeconds / 1e6;
    }

    private static string Format(List<Cell> cells)
    {
        var text = new StringBuilder();
        text.AppendLine("# TCP throughput in the simulator");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Bulk transfer from one Seqs stack to another's discard service over a simulated {LinkBitsPerSecond / 1_000_000} Mbit/s link");
        text.AppendLine("(64-frame drop-tail queue, seeded random loss in both directions, MSS 1460 with timestamps and SACK), payload");
        text.AppendLine(CultureInfo.InvariantCulture, $"Mbit/s measured over {Measured.TotalSeconds} s of virtual time after a {Warmup.TotalSeconds} s warm-up. The link carries at most {PayloadCeilingMbps:F2} Mbit/s of");
        text.AppendLine("payload. Mathis is the bound (MSS / RTT) · √(3/2) / √p for loss rate p. Written and checked by");
        text.AppendLine("`TcpThroughputTableTests` (`SEQS_NETSIM_UPDATE=1 dotnet test Seqs.Tests -c Release --filter TcpThroughputTable` rewrites it).");
        text.AppendLine();
        text.AppendLine("| congestion control | buffer | one-way delay | loss | Mbit/s | Mathis Mbit/s |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (Cell cell in cells)
        {
            string mathis = double.IsInfinity(cell.MathisMbps) ? "-" : cell.MathisMbps.ToString("F2", CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {cell.Algorithm} | {cell.Buffer >> 10} KiB | {cell.DelayMs} ms | {cell.Loss:P1} | {cell.Mbps:F3} | {mathis} |");
        }
        return text.ToString();
    }

    private static Dictionary<string, double> Parse(string table)
    {
        var cells = new Dictionary<string, double>();
        foreach (string line in table.Split('\n'))
        {
            string[] f = line.Split('|', StringSplitOptions.TrimEntries);
            if (f.Length < 7 || !Enum.TryParse(f[1], out CongestionControlAlgorithm algorithm))
                continue;
            string key = $"{algorithm} {f[2]} {f[3]} {f[4]}";
            cells[key] = double.Parse(f[5], CultureInfo.InvariantCulture);
        }
        return cells;
    }
}
