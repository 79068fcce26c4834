using Seqs.Ntp;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Ntp;

/// <summary>
/// Once warm, NTP polls allocate nothing, and the client is small. Both loops and the cable run on the test
/// thread, so the thread's allocation counter sees every byte of every exchange.
/// </summary>
[NonParallelizable]
public sealed class NtpAllocationTests
{
    /// <summary>The target from the services issue: 1 KiB for the NTP client.</summary>
    private const int TargetBytes = 1024;

    [Test]
    public void PeriodicPolls_AllocateNothingOnceWarm()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        using var server = new SimulatedNtpServer(pair.B) { Offset = TimeSpan.FromSeconds(1), RecordTransmits = false };
        using var stop = new CancellationTokenSource();
        _ = server.RunAsync(stop.Token);
        using var client = new NtpClient(pair.A, SimulatedPair.AddressB);
        pair.LoopA.InvokeAsync(() => { client.Start(); return Task.CompletedTask; });
        const int Warmup = 20, Measured = 200;
        pair.Simulation.RunFor(client.PollInterval * Warmup);

        long before = GC.GetAllocatedBytesForCurrentThread();
        pair.Simulation.RunFor(client.PollInterval * Measured);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"{Measured} polls of {client.Counters.RequestsSent / client.Counters.Synchronizations} exchanges: {allocated} B");
        Assert.That(allocated, Is.Zero);
        Assert.That(client.Counters.Synchronizations, Is.EqualTo(Warmup + Measured));
        Assert.That(client.Counters.RepliesAccepted, Is.EqualTo(4 * (Warmup + Measured)));
        stop.Cancel();
    }

    [Test]
    public void Client_FitsTheMemoryTarget()
    {
        var clock = new VirtualClock();
        var loop = new NetLoop(clock);
        var stack = new NetStack(loop, new VirtualNic(new MacAddress(0x02_00_00_00_00_09)), randomSeed: 1);
        stack.Configure(new Ipv4Cidr(new Ipv4Address(10, 0, 0, 9), 24));
        new NtpClient(stack, new Ipv4Address(10, 0, 0, 1)).Dispose();
        loop.RunOnce(); // the dispose was posted to the loop: the socket table is empty again

        long before = GC.GetAllocatedBytesForCurrentThread();
        var client = new NtpClient(stack, new Ipv4Address(10, 0, 0, 1));
        long total = GC.GetAllocatedBytesForCurrentThread() - before;

        // Binding copies the stack's socket table (one reference longer); that array is the stack's, not the client's.
        const int SocketTableBytes = 24 + 8;
        long clientBytes = total - SocketTableBytes;
        TestContext.Out.WriteLine($"NtpClient with its socket, timer, clock and buffers: {clientBytes} B (plus {SocketTableBytes} B for the stack's socket table)");
        Assert.That(clientBytes, Is.LessThanOrEqualTo(TargetBytes));
        GC.KeepAlive(client);
    }
}
