using System.Reflection;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Tcp;

/// <summary>
/// A control block the stack reuses must start exactly as a new one: every variable of the connection it served
/// before is reset by the Open methods. The test compares every field, by reflection, so that a variable added
/// later without a reset fails here rather than leaking into the next connection.
/// </summary>
public sealed class TcpControlBlockReuseTests
{
    /// <summary>
    /// What ties the block to its table and the application, and its place on the loop's timer heap, are kept or
    /// managed by the table, not by Open.
    /// </summary>
    private static readonly string[] StackBindings =
        ["Table", "Listener", "Owner", "HasWork", "_ownerWake", "Listed", "Generation", "Local", "Remote", "HeapIndex", "Sequence", "Deadline"];

    [TestCase(CongestionControlAlgorithm.NewReno)]
    [TestCase(CongestionControlAlgorithm.Cubic)]
    public void ReopenedAfterALossyConnection_EqualsANewControlBlock(CongestionControlAlgorithm algorithm)
    {
        var options = new TcpConnectionOptions { TimeWaitDuration = TimeSpan.Zero, CongestionControl = algorithm, KeepAlive = true };
        var faults = new LinkFaults { Seed = 7, LossProbability = 0.05, ReorderProbability = 0.05, ReorderDelay = TimeSpan.FromMilliseconds(3), PropagationDelay = TimeSpan.FromMilliseconds(5) };
        using var pair = new SimulatedPair(faults, new NetStackOptions { Tcp = options });
        using var echo = new TcpEchoServer(pair.B);
        _ = echo.RunAsync(CancellationToken.None);
        var connection = new TcpConnection(pair.A.Tcp);
        TcpControlBlock? used = null;
        byte[] data = new byte[300_000];
        new Random(1).NextBytes(data);
        Task run = pair.LoopA.InvokeAsync(async () =>
        {
            await connection.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, TcpEchoServer.DefaultPort));
            byte[] back = new byte[data.Length];
            int received = 0;
            async Task ReadAll()
            {
                int n;
                while ((n = await connection.ReadAsync(back.AsMemory(received))) > 0)
                    received += n;
            }
            Task reading = ReadAll();
            for (int at = 0; at < data.Length; at += 8192)
                await connection.WriteAsync(data.AsMemory(at, Math.Min(8192, data.Length - at)));
            connection.ShutdownSend();
            await reading;
            Assert.That(back.AsSpan(0, received).SequenceEqual(data), Is.True);
            used = connection.Tcb;
            connection.Disconnect();
        });
        Assert.That(pair.Simulation.RunUntil(() => run.IsCompleted && pair.A.Tcp.ConnectionCount == 0, TimeSpan.FromMinutes(5)), Is.True);
        run.GetAwaiter().GetResult();
        TcpControlBlock tcb = used!;
        Assert.That(tcb.RetransmittedBytes + tcb.FastRetransmits, Is.GreaterThan(0), "the connection recovered from loss, so recovery state was in use");

        var reopenAt = TimeSpan.FromSeconds(500);
        tcb.OpenActive(options, new SeqNumber(12345), 1460, reopenAt);
        var fresh = new TcpControlBlock();
        fresh.OpenActive(options, new SeqNumber(12345), 1460, reopenAt);
        Assert.That(Differences(tcb, fresh, "tcb"), Is.Empty);
    }

    /// <summary>The fields in which two objects of the same type differ, recursively, leaving out rented buffers.</summary>
    private static List<string> Differences(object reused, object fresh, string path)
    {
        var differences = new List<string>();
        for (Type? type = reused.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            {
                string name = field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>')] : field.Name;
                if (path == "tcb" && StackBindings.Contains(name))
                    continue;
                object? a = field.GetValue(reused);
                object? b = field.GetValue(fresh);
                string at = $"{path}.{name}";
                if (field.FieldType.IsArray)
                    continue; // rings and range tables: buffers, rented or kept
                if (name == "_scoreboard")
                {
                    // Kept when reused, made on first use when new: empty either way.
                    if (a is not null && (int)a.GetType().GetProperty("Count")!.GetValue(a)! != 0)
                        differences.Add($"{at} is not empty");
                    continue;
                }
                if (a is TcpConnectionCounters counters && b is null)
                {
                    // Kept when reused, made on first use when new: all zero either way.
                    differences.AddRange(Differences(counters, new TcpConnectionCounters(), at));
                    continue;
                }
                if (a is null || b is null)
                {
                    if (!ReferenceEquals(a, b))
                        differences.Add($"{at}: {a ?? "null"} vs {b ?? "null"}");
                }
                else if (field.FieldType.IsPrimitive || field.FieldType.IsEnum || a is string or TcpConnectionOptions || Nullable.GetUnderlyingType(field.FieldType) is not null)
                {
                    if (!Equals(a, b))
                        differences.Add($"{at}: {a} vs {b}");
                }
                else
                    differences.AddRange(Differences(a, b, at));
            }
        }
        return differences;
    }
}
