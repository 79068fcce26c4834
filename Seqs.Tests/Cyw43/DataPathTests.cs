using Seqs.Drivers.Cyw43;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// Ethernet frames on the SDPCM data channel (embassy runner.rs; docs/reference/cyw43439.md#data-path), driver against
/// emulator, frame by frame.
/// </summary>
public sealed class DataPathTests
{
    [TestCase(12, 0)]
    [TestCase(14, 0)]
    [TestCase(20, 1)]
    [TestCase(12, 2)]
    public void FrameFromTheAir_ArrivesIntact_WhateverTheHeaderLengthAndDataOffset(int headerLength, int dataOffsetWords)
    {
        using var board = new JoinedBoard(chip =>
        {
            chip.DataHeaderLength = headerLength;
            chip.DataOffsetWords = dataOffsetWords;
        });
        byte[] sent = board.Frame(seed: 3);

        board.Peer.TryTransmit(sent);
        var buffer = new byte[1514];
        bool received = board.Driver.TryReceive(buffer, out int length);

        Assert.That(received, Is.True);
        Assert.That(buffer.AsSpan(0, length).ToArray(), Is.EqualTo(sent).AsCollection);
        Assert.That(board.Driver.TryReceive(buffer, out _), Is.False, "one frame in, one out");
    }

    [TestCase(60)]
    [TestCase(1514)]
    public void FrameToTheAir_LeavesIntact(int size)
    {
        using var board = new JoinedBoard();
        byte[] sent = board.Frame(size, seed: 9);

        Assert.That(board.Driver.TryTransmit(sent), Is.True);
        var buffer = new byte[1514];
        Assert.That(board.Peer.TryReceive(buffer, out int length), Is.True);

        Assert.That(buffer.AsSpan(0, length).ToArray(), Is.EqualTo(sent).AsCollection);
        Assert.That(board.Chip.ProtocolViolations, Is.Empty, "BDC flags 20h, sequence within the credit");
        Assert.That(board.Driver.Counters.FramesTransmitted, Is.EqualTo(1));
    }

    [Test]
    public void ArmWakeUp_FiresAtOnce_WhenAFrameAlreadyWaits()
    {
        using var board = new JoinedBoard();
        board.Peer.TryTransmit(board.Frame());
        int wakeUps = 0;

        board.Driver.ArmWakeUp(() => wakeUps++);

        Assert.That(wakeUps, Is.EqualTo(1));
    }

    [Test]
    public void ArmWakeUp_FiresOnceWhenAFrameArrives_AndNotAgainUntilRearmed()
    {
        using var board = new JoinedBoard();
        int wakeUps = 0;
        board.Driver.ArmWakeUp(() => wakeUps++);
        Assert.That(wakeUps, Is.Zero, "nothing waiting");

        board.Peer.TryTransmit(board.Frame());
        board.Peer.TryTransmit(board.Frame());

        Assert.That(wakeUps, Is.EqualTo(1));
    }

    [Test]
    public void FlowControl_HoldsTransmits_AndItsReleaseWakesTheLoop()
    {
        using var board = new JoinedBoard();
        board.Chip.SetFlowControl(stalled: true);
        board.Driver.TryReceive(new byte[1514], out _);

        bool sent = board.Driver.TryTransmit(board.Frame());
        int wakeUps = 0;
        board.Driver.ArmWakeUp(() => wakeUps++);
        board.Chip.SetFlowControl(stalled: false);
        board.Driver.TryReceive(new byte[1514], out _);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.False);
            Assert.That(board.Driver.Counters.TransmitRejections, Is.EqualTo(1));
            Assert.That(wakeUps, Is.EqualTo(1));
            Assert.That(board.Driver.TryTransmit(board.Frame()), Is.True);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty, "no data frame while stalled");
        }
    }

    [Test]
    public void F2NotReady_HoldsTransmits_AndTheWakeUpPollsUntilItIs()
    {
        using var board = new JoinedBoard();
        board.Chip.F2NeverReady = true;
        board.Driver.Gspi.ReadStatus(); // the driver trusts the status word of its last transaction; here, one after the change

        bool sent = board.Driver.TryTransmit(board.Frame());
        int wakeUps = 0;
        board.Driver.ArmWakeUp(() => wakeUps++);
        int beforeThePoll = wakeUps;
        board.Board.Clock.Advance(TimeSpan.FromMilliseconds(1));
        board.Chip.F2NeverReady = false;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.False);
            Assert.That(beforeThePoll, Is.Zero);
            Assert.That(wakeUps, Is.EqualTo(1), "no interrupt says F2 is ready again: the wake-up polls");
            Assert.That(board.Driver.TryTransmit(board.Frame()), Is.True);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty, "no F2 write before F2_RX_READY");
        }
    }

    [Test]
    public void FrameLongerThanTheBuffer_IsDroppedAndCounted()
    {
        using var board = new JoinedBoard();
        board.Peer.TryTransmit(board.Frame(1514));
        board.Peer.TryTransmit(board.Frame(100));
        var small = new byte[200];

        Assert.That(board.Driver.TryReceive(small, out int length), Is.True);

        Assert.That(length, Is.EqualTo(100));
        Assert.That(board.Driver.Counters.ReceiveDrops, Is.EqualTo(1));
    }

    [Test]
    public void TransmitWithTheLinkDown_IsDroppedAndCounted()
    {
        using var board = new JoinedBoard();
        VirtualTime.Run(board.Board.Clock, board.Driver.LeaveAsync());

        Assert.That(board.Driver.TryTransmit(board.Frame()), Is.True);

        Assert.That(board.Driver.Counters.FramesDroppedLinkDown, Is.EqualTo(1));
        Assert.That(board.Peer.TryReceive(new byte[1514], out _), Is.False);
    }
}
