using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Stack;

/// <summary>
/// What a stack costs in managed memory: a NetStack with an 8-entry ARP cache and four bound UDP sockets, counted
/// by the allocation counter of the thread that builds it: an upper bound, as it includes the little garbage
/// that setting up leaves (log text, the socket table as it grows). Socket payload buffers are allocated only when data
/// arrives, so they are not in this figure; the stack's two frame-sized I/O buffers are, and are reported apart.
/// </summary>
[NonParallelizable]
public sealed class StackMemoryTests
{
    /// <summary>The target from the foundation issue: 4 KiB, excluding payload and frame buffers.</summary>
    private const int TargetBytes = 4096;

    [Test]
    public void StackWithEightArpEntriesAndFourUdpSockets_FitsTheTarget()
    {
        var clock = new VirtualClock();
        var nic = new VirtualNic(new MacAddress(0x02_00_00_00_00_09));
        var options = new NetStackOptions { ArpCacheSize = 8, MaxUdpSockets = 4 };
        // Warm the types and the JIT so that only instance memory is counted.
        Build(clock, nic, options);

        long before = GC.GetAllocatedBytesForCurrentThread();
        (NetLoop loop, NetStack stack, UdpSocket[] sockets) = Build(clock, nic, options);
        long total = GC.GetAllocatedBytesForCurrentThread() - before;

        int frameBuffers = 2 * (nic.MaxFrameSize + 24);
        long excludingFrames = total - frameBuffers;
        TestContext.Out.WriteLine($"NetLoop + NetStack + 4 UDP sockets: {total} B in all, {excludingFrames} B without the two {nic.MaxFrameSize}-byte frame buffers");
        Assert.That(excludingFrames, Is.LessThanOrEqualTo(TargetBytes));
        GC.KeepAlive(loop);
        GC.KeepAlive(stack);
        GC.KeepAlive(sockets);
    }

    private static (NetLoop, NetStack, UdpSocket[]) Build(VirtualClock clock, VirtualNic nic, NetStackOptions options)
    {
        var loop = new NetLoop(clock);
        var stack = new NetStack(loop, nic, options, randomSeed: 1);
        stack.Configure(new Ipv4Cidr(new Ipv4Address(10, 0, 0, 9), 24));
        var sockets = new UdpSocket[4];
        for (int i = 0; i < sockets.Length; i++)
        {
            sockets[i] = new UdpSocket(stack);
            sockets[i].Bind((ushort)(1000 + i));
        }
        return (loop, stack, sockets);
    }
}
