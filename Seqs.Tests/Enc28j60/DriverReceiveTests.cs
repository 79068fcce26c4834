using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

public sealed class DriverReceiveTests
{
    [Test]
    public void EveryFrameSize_IsReceivedIntact_AcrossTheBufferWrap()
    {
        using var board = new EmulatedBoard();
        for (int length = 60; length <= 1514; length++)
        {
            byte[] frame = PatternFrame.Create(length, EmulatedBoard.Mac, (byte)length);
            Assert.That(board.Chip.DeliverFrame(frame), Is.True, $"chip refused {length}");
            byte[]? received = board.Receive();
            Assert.That(received, Is.EqualTo(frame).AsCollection, $"length {length}");
        }
        Assert.That(board.Receive(), Is.Null);
        Assert.That(board.Driver.Counters.FramesReceived, Is.EqualTo(1514 - 60 + 1));
    }

    [Test]
    public void QueuedFrames_AreReceivedInOrder()
    {
        using var board = new EmulatedBoard();
        var frames = Enumerable.Range(0, 4).Select(i => PatternFrame.Create(1000 + i * 100, MacAddress.Broadcast, (byte)i)).ToList();
        foreach (byte[] frame in frames)
            Assert.That(board.Chip.DeliverFrame(frame), Is.True);

        var received = new List<byte[]>();
        while (board.Receive() is { } frame)
            received.Add(frame);

        Assert.That(received, Has.Count.EqualTo(4));
        for (int i = 0; i < 4; i++)
            Assert.That(received[i], Is.EqualTo(frames[i]).AsCollection);
    }
}
