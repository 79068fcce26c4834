using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Phy;
using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

public sealed class DriverTransmitTests
{
    [Test]
    public void EveryFrameSize_IsTransmittedIntact_AndShortFramesArePadded()
    {
        using var board = new EmulatedBoard();
        for (int length = 14; length <= 1514; length++)
        {
            byte[] frame = EmulatedBoard.Frame(length, MacAddress.Broadcast, (byte)length);
            Assert.That(board.Driver.TryTransmit(frame), Is.True);
            byte[] sent = board.Sent[^1];
            Assert.That(sent[..length], Is.EqualTo(frame).AsCollection, $"length {length}");
            Assert.That(sent, Has.Length.EqualTo(Math.Max(60, length)));
        }
        Assert.That(board.Chip.FramesTransmitted, Is.EqualTo(1514 - 14 + 1));
    }

    [Test]
    public void FrameInFlight_PushesBack_UntilTxrtsClears()
    {
        using var board = new EmulatedBoard();
        board.Chip.TransmitBusyPolls = 3;
        byte[] frame = EmulatedBoard.Frame(100, MacAddress.Broadcast);

        Assert.That(board.Driver.TryTransmit(frame), Is.True);
        Assert.That(board.Driver.TryTransmit(frame), Is.False);
        Assert.That(board.Driver.TryTransmit(frame), Is.False);
        Assert.That(board.Driver.TryTransmit(frame), Is.True);

        Assert.That(board.Driver.Counters.TransmitRejections, Is.EqualTo(2));
        Assert.That(board.Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public void StalledTransmitLogic_IsResetAfterTheTimeout_AndTheNicKeepsWorking()
    {
        var time = new SteppingTimeProvider();
        using var board = new EmulatedBoard(time: time);
        board.Chip.InjectTransmitStall();
        byte[] frame = EmulatedBoard.Frame(200, MacAddress.Broadcast);

        Assert.That(board.Driver.TryTransmit(frame), Is.True);
        Assert.That(board.Driver.TryTransmit(frame), Is.False);
        time.Advance(TimeSpan.FromMilliseconds(25));
        Assert.That(board.Driver.TryTransmit(frame), Is.True);

        Assert.That(board.Driver.Counters.TransmitStalls, Is.EqualTo(1));
        Assert.That(board.Chip.IsTransmitStalled, Is.False);
        Assert.That(board.Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public void HalfDuplex_SetsHdldis_AndRetriesLateCollisions()
    {
        using var board = new EmulatedBoard(duplex: DuplexMode.Half);
        Assert.That(board.Chip.PeekPhy(PhyRegister.Phcon2) & Phcon2.HdlDis, Is.Not.Zero);
        Assert.That(board.Chip.PeekRegister(ControlRegister.Macon3) & 0x01, Is.Zero, "FULDPX");
        board.Chip.InjectLateCollisions(2);
        byte[] frame = EmulatedBoard.Frame(300, MacAddress.Broadcast);

        Assert.That(board.Driver.TryTransmit(frame), Is.True);
        Assert.That(board.Driver.TryTransmit(frame), Is.False, "first retry");
        Assert.That(board.Driver.TryTransmit(frame), Is.False, "second retry");
        Assert.That(board.Driver.TryTransmit(frame), Is.True);

        Assert.That(board.Driver.Counters.LateCollisionRetries, Is.EqualTo(2));
        Assert.That(board.Sent, Has.Count.EqualTo(2));
        Assert.That(board.Sent[0], Is.EqualTo(frame).AsCollection);
    }

    [Test]
    public void LinkDown_DropsTransmittedFrames_WithoutTouchingTheBus()
    {
        using var board = new EmulatedBoard();
        board.Chip.LinkUp = false;
        Assert.That(board.Receive(), Is.Null); // INT: LINKIF
        Assert.That(board.Driver.IsLinkUp, Is.False);
        long exchanges = board.Chip.SpiExchanges;

        Assert.That(board.Driver.TryTransmit(EmulatedBoard.Frame(100, MacAddress.Broadcast)), Is.True);

        Assert.That(board.Chip.SpiExchanges, Is.EqualTo(exchanges));
        Assert.That(board.Driver.Counters.FramesDroppedLinkDown, Is.EqualTo(1));
    }
}
