using Seqs.Dhcp;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Dhcp;

/// <summary>
/// A renewal allocates nothing once warm, and the client's managed memory stays small. The whole exchange runs on
/// the test thread, so the thread's allocation counter sees every byte.
/// </summary>
[NonParallelizable]
public sealed class DhcpClientResourceTests
{
    /// <summary>The target from the services issue: the DHCP client in at most 1 KiB.</summary>
    private const int TargetBytes = 1024;

    [Test]
    public void Renewal_AllocatesNothingOnceWarm()
    {
        using var server = new ScriptedDhcpServer();
        server.Bind();
        DhcpClient client = server.Client;
        Func<bool> renewing = () => client.State == DhcpClientState.Renewing;
        TimeSpan hour = TimeSpan.FromHours(1);
        void Renew()
        {
            server.Simulation.RunUntil(renewing, hour);
            server.Drain();
            server.Answer(server.Ack);
        }
        for (int i = 0; i < 20; i++)
            Renew();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
            Renew();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(client.Counters.Renewals, Is.EqualTo(220));
        Assert.That(client.State, Is.EqualTo(DhcpClientState.Bound));
        Assert.That(allocated, Is.Zero);
    }

    /// <summary>
    /// Counted with the default options (no seed: a seeded <see cref="Random"/> keeps a 56-entry table, about 300 B
    /// more). The 548-byte receive buffer RFC 2131 §2 requires is reported apart, as the stack's frame buffers are.
    /// </summary>
    [Test]
    public void Client_FitsTheMemoryTarget()
    {
        var clock = new VirtualClock();
        var nic = new VirtualNic(new MacAddress(0x02_00_00_00_00_09));
        var options = new DhcpClientOptions { HostName = "seqs-device" };
        // Warm the types and the JIT so that only instance memory is counted.
        GC.KeepAlive(new DhcpClient(new NetStack(new NetLoop(clock), nic, randomSeed: 1), options));

        var stack = new NetStack(new NetLoop(clock), nic, randomSeed: 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var client = new DhcpClient(stack, options);
        long total = GC.GetAllocatedBytesForCurrentThread() - before;

        int receiveBuffer = DhcpClient.ReceiveBufferLength + 24;
        TestContext.Out.WriteLine($"DhcpClient with its UDP socket and timer: {total} B in all, {total - receiveBuffer} B without the {DhcpClient.ReceiveBufferLength}-byte receive buffer");
        Assert.That(total - receiveBuffer, Is.LessThanOrEqualTo(TargetBytes));
        GC.KeepAlive(client);
    }
}
