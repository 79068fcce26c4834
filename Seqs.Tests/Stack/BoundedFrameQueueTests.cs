using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Stack;

/// <summary>The fixed-size frame FIFO that holds frames for the NIC and for ARP resolution.</summary>
public sealed class BoundedFrameQueueTests
{
    private static readonly Ipv4Address HopA = new(10, 0, 0, 1);
    private static readonly Ipv4Address HopB = new(10, 0, 0, 2);

    [Test]
    public void Frames_LeaveInTheOrderTheyCame()
    {
        var queue = new BoundedFrameQueue(capacity: 4, frameSize: 64);
        queue.TryEnqueue(Frame(10, 1));
        queue.TryEnqueue(Frame(20, 2));
        queue.TryEnqueue(Frame(30, 3));

        Assert.That(DrainFirstOctets(queue), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void FullQueue_RefusesAFrame_UntilOneLeaves()
    {
        var queue = new BoundedFrameQueue(capacity: 2, frameSize: 64);

        Assert.That(queue.TryEnqueue(Frame(10, 1)), Is.True);
        Assert.That(queue.TryEnqueue(Frame(10, 2)), Is.True);
        Assert.That(queue.TryEnqueue(Frame(10, 3)), Is.False);
        Assert.That(queue.Count, Is.EqualTo(2));
        queue.DequeueHead();
        Assert.That(queue.TryEnqueue(Frame(10, 4)), Is.True);
        Assert.That(DrainFirstOctets(queue), Is.EqualTo(new byte[] { 2, 4 }));
    }

    [Test]
    public void FrameLongerThanASlot_IsRefused()
    {
        var queue = new BoundedFrameQueue(capacity: 2, frameSize: 64);

        Assert.That(queue.TryEnqueue(Frame(65, 1)), Is.False);
        Assert.That(queue.TryEnqueue(Frame(64, 2)), Is.True);
        Assert.That(queue.PeekHead().Length, Is.EqualTo(64));
    }

    [Test]
    public void EmptyQueue_PeeksNothing_AndIgnoresADequeue()
    {
        var queue = new BoundedFrameQueue(capacity: 2, frameSize: 64);

        queue.DequeueHead();

        Assert.That(queue.PeekHead().IsEmpty, Is.True);
        Assert.That(queue.Count, Is.Zero);
    }

    [Test]
    public void TakeFirst_CopiesOutTheOldestFrameForTheHop_AndKeepsTheRestInOrder()
    {
        var queue = new BoundedFrameQueue(capacity: 4, frameSize: 64);
        queue.TryEnqueue(Frame(11, 1), HopA);
        queue.TryEnqueue(Frame(12, 2), HopB);
        queue.TryEnqueue(Frame(13, 3), HopA);
        queue.TryEnqueue(Frame(14, 4), HopB);
        var destination = new byte[64];

        int length = queue.TakeFirst(HopA, destination, out _);

        Assert.That(destination[..length], Is.EqualTo(Frame(11, 1)));
        Assert.That(queue.TakeFirst(new Ipv4Address(10, 0, 0, 9), destination, out _), Is.Zero);
        Assert.That(DrainFirstOctets(queue), Is.EqualTo(new byte[] { 2, 3, 4 }));
    }

    [Test]
    public void RemoveAll_DropsEveryFrameForTheHop_AndCountsThem()
    {
        var queue = new BoundedFrameQueue(capacity: 4, frameSize: 64);
        queue.TryEnqueue(Frame(10, 1), HopA);
        queue.TryEnqueue(Frame(10, 2), HopB);
        queue.TryEnqueue(Frame(10, 3), HopA);
        queue.TryEnqueue(Frame(10, 4), HopA);

        Assert.That(queue.RemoveAll(HopA), Is.EqualTo(3));
        Assert.That(DrainFirstOctets(queue), Is.EqualTo(new byte[] { 2 }));
    }

    [Test]
    public void FramesAcrossTheEndOfTheSlots_KeepTheirContentAndOrder()
    {
        var queue = new BoundedFrameQueue(capacity: 3, frameSize: 64);
        queue.TryEnqueue(Frame(10, 1), HopA);
        queue.TryEnqueue(Frame(20, 2), HopA);
        queue.TryEnqueue(Frame(30, 3), HopB);
        queue.DequeueHead();
        queue.DequeueHead();
        queue.TryEnqueue(Frame(40, 4), HopA);
        queue.TryEnqueue(Frame(50, 5), HopB);
        var destination = new byte[64];

        int length = queue.TakeFirst(HopB, destination, out _);

        Assert.That(destination[..length], Is.EqualTo(Frame(30, 3)));
        Assert.That(queue.PeekHead().ToArray(), Is.EqualTo(Frame(40, 4)));
        Assert.That(DrainFirstOctets(queue), Is.EqualTo(new byte[] { 4, 5 }));
    }

    [Test]
    public void WarmQueue_AllocatesNothing()
    {
        var queue = new BoundedFrameQueue(capacity: 4, frameSize: 1514);
        byte[] frame = Frame(1514, 7);
        var destination = new byte[1514];
        for (int i = 0; i < 4; i++)
            queue.TryEnqueue(frame, HopA);
        queue.Clear();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            queue.TryEnqueue(frame, HopA);
            queue.TryEnqueue(frame, HopB);
            queue.TakeFirst(HopB, destination, out _);
            queue.DequeueHead();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static byte[] Frame(int length, byte first)
    {
        var frame = new byte[length];
        frame[0] = first;
        for (int i = 1; i < length; i++)
            frame[i] = (byte)(first + i);
        return frame;
    }

    private static byte[] DrainFirstOctets(BoundedFrameQueue queue)
    {
        var firsts = new List<byte>();
        while (queue.Count > 0)
        {
            firsts.Add(queue.PeekHead()[0]);
            queue.DequeueHead();
        }
        return [.. firsts];
    }
}
