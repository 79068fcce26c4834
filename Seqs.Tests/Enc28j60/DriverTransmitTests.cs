using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Phy;
using Seqs.Simulation;
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
            byte[] frame = PatternFrame.Create(length, MacAddress.Broadcast, (byte)length);
            Assert.That(board.Driver.TryTransmit(frame), Is.True);
            byte[] sent = board.Sent[^1];
            Assert.That(sent[..length], Is.EqualTo(frame).AsCollection, $"length {length}");
            Assert.That(sent, Has.Length.EqualTo(Math.Max(60, length)));
        }
        Assert.That(board.Chip.FramesTransmitted, Is.EqualTo(1514 - 14 + 1));
    }

    /// <summary>
    /// Errata DS80349C #12, a half-duplex erratum: "Before attempting to transmit a packet (setting ECON1.TXRTS), reset
    /// the internal transmit logic by setting ECON1.TXRST and then clearing ECON1.TXRST", here before every frame in
    /// half duplex. Read from the bus: ECON1 is followed through every WCR, BFS and BFC the driver sends it.
    /// </summary>
    [Test]
    public void HalfDuplex_EveryTxrts_FollowsATxrstPulse_AndTheFrameIsWrittenWhileTheLogicIsHeldInReset()
    {
        const DuplexMode duplex = DuplexMode.Half;
        var chip = new Enc28j60Emulator();
        chip.InjectLateCollisions(2);
        var sent = new List<byte[]>();
        chip.FrameTransmitted += f => sent.Add(f.ToArray());
        var bus = new RecordingSpiBus(chip);
        using var driver = new Drivers.Enc28j60.Enc28j60(bus, chip.InterruptLine, options: new Enc28j60Options { MacAddress = EmulatedBoard.Mac, Duplex = duplex });
        int first = bus.Frames.Count;
        for (int i = 0; i < 10; i++)
        {
            while (!driver.TryTransmit(PatternFrame.Create(60 + 140 * i, MacAddress.Broadcast)))
            {
            }
        }
        driver.TryTransmit(PatternFrame.Create(60, MacAddress.Broadcast));

        byte econ1 = 0;
        bool pulsed = false;
        int starts = 0;
        foreach (byte[] frame in bus.Frames.Skip(first))
        {
            if (frame[0] == 0x7A)
                Assert.That(econ1 & Econ1.TxRst, Is.Not.Zero, "WBM while TXRST holds the transmit logic");
            byte before = econ1;
            if (!DriverReferenceTests.TryApplyEcon1Write(frame, ref econ1))
                continue;
            if ((before & Econ1.TxRst) != 0 && (econ1 & Econ1.TxRst) == 0)
                pulsed = true;
            if ((econ1 & Econ1.TxRts) != 0 && (before & Econ1.TxRts) == 0)
            {
                Assert.That(before & Econ1.TxRst, Is.Zero, "TXRST is clear before TXRTS is set");
                Assert.That(pulsed, Is.True, $"TXRTS #{starts + 1} without a TXRST pulse before it");
                pulsed = false;
                starts++;
                econ1 = (byte)(econ1 & ~Econ1.TxRts); // the emulator sends at once; TXRTS reads clear again
            }
        }
        Assert.That(starts, Is.EqualTo(11 + 2), "two retries after the injected late collisions");
        Assert.That(sent, Has.Count.EqualTo(11));
    }

    /// <summary>
    /// Errata #12: "Clearing ECON1.TXRST may cause a new transmit error interrupt event (EIR.TXERIF will become set)".
    /// That must cost no frame, count no error and, with TXERIE off, never hold INT low.
    /// </summary>
    [TestCase(DuplexMode.Full)]
    [TestCase(DuplexMode.Half)]
    public void TxerifFromReleasingTxrst_CostsNoFrame_CountsNoError_AndLeavesIntHigh(DuplexMode duplex)
    {
        using var board = new EmulatedBoard(duplex: duplex, beforeInit: chip => chip.TransmitResetReleaseSetsTxErIf = true);
        for (int i = 0; i < 50; i++)
        {
            Assert.That(board.Driver.TryTransmit(PatternFrame.Create(100 + i, MacAddress.Broadcast)), Is.True);
            Assert.That(board.Chip.InterruptLine.Read(), Is.True, "INT stays high");
        }

        Assert.That(board.Sent, Has.Count.EqualTo(50));
        Assert.That(board.Driver.Counters.TransmitErrors, Is.Zero);
        Assert.That(board.Driver.Counters.TransmitStalls, Is.Zero);
    }

    [Test]
    public void FrameInFlight_PushesBack_UntilTxrtsClears()
    {
        using var board = new EmulatedBoard();
        board.Chip.TransmitBusyPolls = 3;
        byte[] frame = PatternFrame.Create(100, MacAddress.Broadcast);

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
        var time = new VirtualClock();
        using var board = new EmulatedBoard(time: time);
        board.Chip.InjectTransmitStall();
        byte[] frame = PatternFrame.Create(200, MacAddress.Broadcast);

        Assert.That(board.Driver.TryTransmit(frame), Is.True);
        Assert.That(board.Driver.TryTransmit(frame), Is.False);
        time.Advance(TimeSpan.FromSeconds(4));
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
        byte[] frame = PatternFrame.Create(300, MacAddress.Broadcast);

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

        Assert.That(board.Driver.TryTransmit(PatternFrame.Create(100, MacAddress.Broadcast)), Is.True);

        Assert.That(board.Chip.SpiExchanges, Is.EqualTo(exchanges));
        Assert.That(board.Driver.Counters.FramesDroppedLinkDown, Is.EqualTo(1));
    }
}
