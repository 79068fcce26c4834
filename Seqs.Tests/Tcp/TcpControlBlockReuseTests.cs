using System.Reflection;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>
/// A control block the table reuses must start exactly as a new one: every variable of the connection it served
/// before, whatever kind of connection it was and however it ended, is reset by the Open methods. The test compares every field, by reflection, so that a variable added
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

        AssertReopensAsNew(tcb, options);
    }

    /// <summary>A SYN answered with RST: the block closed in SYN-SENT with ConnectionRefused.</summary>
    [Test]
    public void ReopenedAfterARefusedConnect_EqualsANewControlBlock()
    {
        using var pair = new SimulatedPair();
        var connection = new TcpConnection(pair.A.Tcp);
        TcpControlBlock? used = null;
        Task run = pair.LoopA.InvokeAsync(async () =>
        {
            ValueTask connecting = connection.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 4444));
            used = connection.Tcb;
            await connecting;
        });
        Assert.That(pair.Simulation.RunUntil(() => run.IsCompleted && pair.A.Tcp.ConnectionCount == 0, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(run.Exception?.InnerException, Is.TypeOf<System.Net.Sockets.SocketException>());
        Assert.That(used!.Error, Is.EqualTo(TcpError.ConnectionRefused));
        AssertReopensAsNew(used, pair.A.Tcp.DefaultOptions);
    }

    /// <summary>
    /// Both ends of a connection the server resets mid-transfer (RFC 9293 §3.10.5 ABORT): the client's block closed
    /// with ConnectionReset, the server's with Aborted, after window scaling, SACK and timestamps were in use.
    /// </summary>
    [Test]
    public void ReopenedAfterAReset_BothEnds_EqualANewControlBlock()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        var listener = new TcpListener(pair.B.Tcp, 5000);
        var served = new TcpConnection(pair.B.Tcp);
        var client = new TcpConnection(pair.A.Tcp);
        TcpControlBlock? serverSide = null, clientSide = null;
        Task server = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            await listener.AcceptAsync(served);
            serverSide = served.Tcb;
            byte[] buffer = new byte[1000];
            int received = 0;
            while (received < 10_000)
                received += await served.ReadAsync(buffer);
            served.Abort();
        });
        Task run = pair.LoopA.InvokeAsync(async () =>
        {
            await client.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 5000));
            clientSide = client.Tcb;
            await client.WriteAsync(new byte[10_000]);
            _ = await client.ReadAsync(new byte[10]);
        });
        Assert.That(pair.Simulation.RunUntil(() => run.IsCompleted && server.IsCompleted && pair.A.Tcp.ConnectionCount + pair.B.Tcp.ConnectionCount == 0, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(run.Exception?.InnerException, Is.TypeOf<IOException>());
        Assert.That((clientSide!.Error, serverSide!.Error), Is.EqualTo((TcpError.ConnectionReset, TcpError.Aborted)));
        Assert.That(clientSide.WindowScaling && clientSide.SackPermitted, Is.True);
        AssertReopensAsNew(clientSide, pair.A.Tcp.DefaultOptions);
        AssertReopensAsNew(serverSide, pair.B.Tcp.DefaultOptions);
    }

    /// <summary>
    /// A connection whose peer vanished (the cable is cut) while data was in flight: retransmissions back off until
    /// the user timeout (RFC 9293 §3.8.3) closes it with TimedOut.
    /// </summary>
    [Test]
    public void ReopenedAfterAUserTimeout_EqualsANewControlBlock()
    {
        var options = new TcpConnectionOptions { UserTimeout = TimeSpan.FromSeconds(10) };
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) }, new NetStackOptions { Tcp = options });
        using var discard = new TcpDiscardServer(pair.B);
        _ = discard.RunAsync(CancellationToken.None);
        var client = new TcpConnection(pair.A.Tcp);
        TcpControlBlock? used = null;
        Task run = pair.LoopA.InvokeAsync(async () =>
        {
            await client.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, TcpDiscardServer.DefaultPort));
            used = client.Tcb;
            await client.WriteAsync(new byte[4000]);
            pair.Link.SetLinkUp(false);
            await client.WriteAsync(new byte[4000]);
            _ = await client.ReadAsync(new byte[10]);
        });
        Assert.That(pair.Simulation.RunUntil(() => run.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
        client.Disconnect();
        Assert.That(pair.Simulation.RunUntil(() => pair.A.Tcp.ConnectionCount == 0, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(used!.Error, Is.EqualTo(TcpError.TimedOut));
        Assert.That(used.Retransmissions, Is.GreaterThan(2));
        AssertReopensAsNew(used, options);
    }

    /// <summary>
    /// The server's block of a connection made from a SYN cookie (RFC 4987 §3.6): two SYNs in one batch to a
    /// listener whose SYN queue holds one, the second answered statelessly, then closed by the client.
    /// </summary>
    [Test]
    public void ReopenedAfterASynCookieConnection_EqualsANewControlBlock()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        var listener = new TcpListener(pair.B.Tcp, 5000, backlog: 1);
        var accepted = new List<TcpControlBlock>();
        Task server = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            for (int i = 0; i < 2; i++)
            {
                TcpConnection connection = await listener.AcceptAsync();
                accepted.Add(connection.Tcb!);
                _ = DrainThenDisconnect(connection);
            }
        });
        var first = new TcpConnection(pair.A.Tcp);
        var second = new TcpConnection(pair.A.Tcp);
        Task run = pair.LoopA.InvokeAsync(async () =>
        {
            var site = new Ipv4EndPoint(SimulatedPair.AddressB, 5000);
            ValueTask a = first.ConnectAsync(site);
            ValueTask b = second.ConnectAsync(site);
            await a;
            await b;
            await first.WriteAsync(new byte[3000]);
            await second.WriteAsync(new byte[3000]);
            first.Disconnect();
            second.Disconnect();
        });
        Assert.That(pair.Simulation.RunUntil(() => run.IsCompleted && server.IsCompleted && pair.B.Tcp.ConnectionCount == 0, TimeSpan.FromMinutes(5)), Is.True);
        run.GetAwaiter().GetResult();
        Assert.That(pair.B.Tcp.Counters.SynCookiesAccepted, Is.EqualTo(1));
        foreach (TcpControlBlock tcb in accepted)
            AssertReopensAsNew(tcb, pair.B.Tcp.DefaultOptions);

        static async Task DrainThenDisconnect(TcpConnection connection)
        {
            byte[] buffer = new byte[1000];
            while (await connection.ReadAsync(buffer) > 0)
            {
            }
            connection.Disconnect();
        }
    }

    /// <summary>Reopens <paramref name="tcb"/> both ways (active and passive) and compares it with a new block opened the same way.</summary>
    private static void AssertReopensAsNew(TcpControlBlock tcb, TcpConnectionOptions options)
    {
        Assert.That(tcb.IsClosed, Is.True, "the block is done with before it is reused");
        var reopenAt = TimeSpan.FromSeconds(500);
        tcb.OpenActive(options, new SeqNumber(12345), 1460, reopenAt);
        var fresh = new TcpControlBlock();
        fresh.OpenActive(options, new SeqNumber(12345), 1460, reopenAt);
        Assert.That(Differences(tcb, fresh, "tcb"), Is.Empty, "reopened actively");

        var syn = new Segment(new SeqNumber(777), default, TcpFlags.Syn, 65535, MaximumSegmentSize: 1460, Timestamps: new TcpTimestamps(5, 0))
        {
            WindowScale = 7,
            SackPermitted = true,
        };
        tcb.OpenPassive(options, new SeqNumber(999), 1460, syn, reopenAt);
        fresh = new TcpControlBlock();
        fresh.OpenPassive(options, new SeqNumber(999), 1460, syn, reopenAt);
        Assert.That(Differences(tcb, fresh, "tcb"), Is.Empty, "reopened passively");
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
                if (a is RackTlp rack && b is null)
                {
                    // Kept when reused, made when the connection first sends data: as new either way.
                    differences.AddRange(Differences(rack, new RackTlp(), at));
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
