using System.Device.Spi;
using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

/// <summary>
/// The driver against what the datasheet (DS39662E), the errata (DS80349C) and Linux's enc28j60.c say the silicon
/// does, on an emulator that behaves that way (issue 15): each test failed on the driver before the issue.
/// </summary>
public sealed class DriverReferenceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Errata #19: SRC does nothing in power save, where Linux's driver leaves the chip at probe and ifdown. Without a
    /// RESET pin (a pulse on it resets the chip in any state) the SPI reset is all the driver has.
    /// </summary>
    [Test]
    public void ChipLeftInPowerSave_WithoutAResetPin_IsTakenOutOfItBeforeTheReset_AndComesUpWorking()
    {
        var chip = new Enc28j60Emulator(leftInPowerSave: true);
        Assert.That(chip.PeekRegister(ControlRegister.Econ2) & Econ2.PwrSv, Is.Not.Zero, "the test starts in power save");

        using var driver = new Drivers.Enc28j60.Enc28j60(chip, chip.InterruptLine, reset: null, new Enc28j60Options { MacAddress = EmulatedBoard.Mac });

        Assert.That(chip.PeekRegister(ControlRegister.Econ2), Is.EqualTo(0x88), "AUTOINC|VRPS, no PWRSV");
        Assert.That(chip.PeekPair(ControlRegister.Erxst), Is.Zero, "initialised after a reset that worked");
        byte[] frame = PatternFrame.Create(200, EmulatedBoard.Mac);
        Assert.That(chip.DeliverFrame(frame), Is.True);
        var buffer = new byte[1514];
        Assert.That(driver.TryReceive(buffer, out int length), Is.True);
        Assert.That(buffer[..length], Is.EqualTo(frame).AsCollection);
    }

    /// <summary>A MISO line stuck high reads EPKTCNT FFh and impossible status vectors forever: each call ends.</summary>
    [TestCase(true)]
    [TestCase(false)]
    public void MisoStuckHigh_TryReceiveEndsAfterOneReceiveReset(bool interruptLine)
    {
        var time = new VirtualClock();
        using var board = new EmulatedBoard(interruptLine, time: time);
        board.Chip.MisoStuckAt = 0xFF;
        time.Advance(TimeSpan.FromSeconds(1)); // the status poll is due, so EPKTCNT is read with INT high too

        for (int call = 1; call <= 3; call++)
        {
            Task<bool> receive = Task.Run(() => board.Receive() is not null);
            Assert.That(receive.Wait(Bound), Is.True, $"call {call} never returned");
            Assert.That(receive.Result, Is.False);
            Assert.That(board.Driver.Counters.ReceiveResets, Is.EqualTo(call));
            time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>§7.2.4: ERXRDPTL first, then ERXRDPTH; the emulator keeps no low byte across writes.</summary>
    [Test]
    public void ReceivedFrames_FreeTheirSpace_WritingErxrdptLowByteFirst()
    {
        using var board = new EmulatedBoard();
        for (int i = 0; i < 40; i++)
        {
            byte[] frame = PatternFrame.Create(1514, EmulatedBoard.Mac, (byte)i);
            Assert.That(board.Chip.DeliverFrame(frame), Is.True, $"frame {i}: no room, ERXRDPT did not move");
            Assert.That(board.Receive(), Is.EqualTo(frame).AsCollection);
        }
        Assert.That(board.Chip.ReadPointerHighOnlyWrites, Is.Zero);
        Assert.That(board.Chip.ReceiveOverflows, Is.Zero);
        Assert.That(board.Chip.PeekPair(ControlRegister.Erxrdpt) & 1, Is.EqualTo(1), "errata #14: odd");
    }

    /// <summary>
    /// Errata #12 is a half-duplex erratum, and Linux pulses TXRST only after TXERIF: in full duplex no frame is
    /// preceded by a TXRST pulse until the chip reports an abort, and then the next one is.
    /// </summary>
    [Test]
    public void FullDuplex_PulsesTxrstOnlyAfterATxerif()
    {
        var chip = new Enc28j60Emulator();
        var bus = new RecordingSpiBus(chip);
        using var driver = new Drivers.Enc28j60.Enc28j60(bus, chip.InterruptLine, options: new Enc28j60Options { MacAddress = EmulatedBoard.Mac });
        int first = bus.Frames.Count;
        for (int i = 0; i < 5; i++)
            Assert.That(driver.TryTransmit(PatternFrame.Create(100 + i, MacAddress.Broadcast)), Is.True);
        Assert.That(TxrstPulses(bus.Frames.Skip(first)), Is.Zero, "no pulse in full duplex without an abort");

        chip.InjectLateCollisions(1);
        Assert.That(driver.TryTransmit(PatternFrame.Create(200, MacAddress.Broadcast)), Is.True);
        Assert.That(chip.IsInterruptAsserted, Is.True, "TXERIE: the abort asserts INT");
        Assert.That(driver.TryReceive(new byte[1514], out _), Is.False); // the loop's next turn serves EIR
        int beforeNext = bus.Frames.Count;
        Assert.That(driver.TryTransmit(PatternFrame.Create(300, MacAddress.Broadcast)), Is.True);
        Assert.That(driver.TryTransmit(PatternFrame.Create(300, MacAddress.Broadcast)), Is.True);

        Assert.That(TxrstPulses(bus.Frames.Skip(beforeNext)), Is.EqualTo(1), "one pulse, before the frame after the abort");
        Assert.That(driver.Counters.TransmitErrors, Is.EqualTo(1));
        Assert.That(chip.IsInterruptAsserted, Is.False);
    }

    /// <summary>Errata #12 in half duplex: an abort stalls the next transmission unless TXRST comes first, so it always does.</summary>
    [Test]
    public void HalfDuplex_AnAbortedFrame_DoesNotStallTheNext()
    {
        var time = new VirtualClock();
        using var board = new EmulatedBoard(duplex: DuplexMode.Half, time: time);
        board.Chip.InjectLateCollisions(17); // more than the driver retries: the frame is given up
        byte[] frame = PatternFrame.Create(300, MacAddress.Broadcast);
        Assert.That(board.Driver.TryTransmit(frame), Is.True);
        while (!board.Driver.TryTransmit(frame))
        {
        }

        Assert.That(board.Driver.TryTransmit(frame), Is.True, "the frame after the abort went out");
        Assert.That(board.Chip.IsTransmitStalled, Is.False);
        Assert.That(board.Driver.Counters.TransmitStalls, Is.Zero);
    }

    /// <summary>
    /// A switch may PAUSE a full-duplex MAC for 65535 × 512 bit times (3.36 s): the frame held that long is not a
    /// stall, and the default timeout is Linux's 4 s, with RXPAUS on.
    /// </summary>
    [Test]
    public void FrameHeldForTheLongestPause_IsNotCutOff_AndTheDefaultTimeoutIsFourSeconds()
    {
        var time = new VirtualClock();
        using var board = new EmulatedBoard(time: time);
        Assert.That(board.Chip.PeekRegister(ControlRegister.Macon1) & 0x04, Is.Not.Zero, "MACON1.RXPAUS");
        board.Chip.InjectTransmitStall();
        byte[] frame = PatternFrame.Create(200, MacAddress.Broadcast);
        Assert.That(board.Driver.TryTransmit(frame), Is.True);

        time.Advance(Enc28j60Options.MaxPauseTime + TimeSpan.FromMilliseconds(1));
        Assert.That(board.Driver.TryTransmit(frame), Is.False, "still paused, not stalled");
        Assert.That(board.Driver.Counters.TransmitStalls, Is.Zero);
        time.Advance(TimeSpan.FromSeconds(4) - Enc28j60Options.MaxPauseTime);
        Assert.That(board.Driver.TryTransmit(frame), Is.True);
        Assert.That(board.Driver.Counters.TransmitStalls, Is.EqualTo(1));
    }

    [Test]
    public void TransmitTimeoutShorterThanAPause_LeavesRxpausOff()
    {
        var chip = new Enc28j60Emulator();
        using var driver = new Drivers.Enc28j60.Enc28j60(chip, options: new Enc28j60Options { TransmitTimeout = TimeSpan.FromMilliseconds(100), RandomSeed = 1 });
        Assert.That(chip.PeekRegister(ControlRegister.Macon1), Is.EqualTo(0x09), "MARXEN|TXPAUS, no RXPAUS");
    }

    /// <summary>Errata #6: PKTIF (and so INT) may miss a frame; EPKTCNT is read after each transmission.</summary>
    [Test]
    public void FrameWithoutPktif_IsFoundAfterTheNextTransmission_NotAtTheStatusPoll()
    {
        var time = new VirtualClock();
        using var board = new EmulatedBoard(time: time);
        board.Chip.MissesPacketInterrupts = true;
        byte[] frame = PatternFrame.Create(100, EmulatedBoard.Mac);
        Assert.That(board.Chip.DeliverFrame(frame), Is.True);
        Assert.That(board.Chip.IsInterruptAsserted, Is.False);

        Assert.That(board.Driver.TryTransmit(PatternFrame.Create(60, MacAddress.Broadcast)), Is.True);
        int wakes = 0;
        board.Driver.ArmWakeUp(() => wakes++);

        Assert.That(wakes, Is.EqualTo(1), "the loop turns once more after a transmission");
        Assert.That(board.Receive(), Is.EqualTo(frame).AsCollection);
    }

    /// <summary>Errata #1: B1 and B4 corrupt MAC and MII reads below 8 MHz; later revisions do not.</summary>
    [TestCase(0x02, 4_000_000, true)]
    [TestCase(0x04, 7_999_999, true)]
    [TestCase(0x04, 8_000_000, false)]
    [TestCase(0x06, 4_000_000, false)]
    public void SlowClock_IsRefusedOnB1AndB4(byte revision, int clock, bool refused)
    {
        var chip = new Enc28j60Emulator(revision, clock);
        Action open = () => new Drivers.Enc28j60.Enc28j60(chip, options: new Enc28j60Options { RandomSeed = 1 }).Dispose();
        if (refused)
            Assert.That(open, Throws.ArgumentException.With.Message.Contains("errata DS80349C #1"));
        else
            Assert.That(open, Throws.Nothing);
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void NonPositiveClock_IsRefused(int clock)
    {
        Assert.Throws<ArgumentException>(() => new Drivers.Enc28j60.Enc28j60(new Enc28j60Emulator(clockFrequency: clock)));
    }

    [TestCase(SpiMode.Mode1, DataFlow.MsbFirst)]
    [TestCase(SpiMode.Mode3, DataFlow.MsbFirst)]
    [TestCase(SpiMode.Mode0, DataFlow.LsbFirst)]
    public void SpiDeviceNotInModeZeroMsbFirst_IsRefused(SpiMode mode, DataFlow dataFlow)
    {
        var device = new EmulatorSpiDevice(new Enc28j60Emulator(), new SpiConnectionSettings(0, 0) { ClockFrequency = 12_000_000, Mode = mode, DataFlow = dataFlow });
        Assert.Throws<ArgumentException>(() => new Drivers.Enc28j60.Enc28j60(device));
        Assert.That(device.IsDisposed, Is.True);
    }

    [Test]
    public void DefaultClock_IsTheRaspberryPiOverlaysTwelveMegahertz()
    {
        Assert.That(new Enc28j60Emulator().ClockFrequency, Is.EqualTo(12_000_000));
        Assert.That(Drivers.Enc28j60.Enc28j60.MaxSpiClockFrequency, Is.EqualTo(20_000_000));
    }

    /// <summary>Linux's enc28j60_hw_rx: a byte count over MAX_FRAMELEN is an error, skipped through the next packet pointer.</summary>
    [Test]
    public void ByteCountOverMamxfl_IsSkippedThroughTheNextPacketPointer_NotAReceiveReset()
    {
        using var board = new EmulatedBoard();
        board.Chip.CorruptNextByteCount(0x07FF);
        Assert.That(board.Chip.DeliverFrame(PatternFrame.Create(300, EmulatedBoard.Mac, 1)), Is.True);
        byte[] second = PatternFrame.Create(400, EmulatedBoard.Mac, 2);
        Assert.That(board.Chip.DeliverFrame(second), Is.True);

        Assert.That(board.Receive(), Is.EqualTo(second).AsCollection);
        Assert.That(board.Driver.Counters.FramesOversized, Is.EqualTo(1));
        Assert.That(board.Driver.Counters.ReceiveResets, Is.Zero);
    }

    /// <summary>After initialisation the driver's idea of ECON1.BSEL is the chip's: no bank switch is a no-op.</summary>
    [Test]
    public void Initialization_SendsNoBankSwitchThatChangesNothing()
    {
        var chip = new Enc28j60Emulator();
        var bus = new RecordingSpiBus(chip);
        using var driver = new Drivers.Enc28j60.Enc28j60(bus, chip.InterruptLine, options: new Enc28j60Options { RandomSeed = 1 });
        driver.TryReceive(new byte[1514], out _);
        driver.TryTransmit(PatternFrame.Create(60, MacAddress.Broadcast));

        int bank = 0, noOps = 0;
        bool known = false;
        foreach (byte[] frame in bus.Frames)
        {
            if (frame[0] == 0xFF)
            {
                bank = 0; // SRC
                known = true;
                continue;
            }
            if ((frame[0] & 0x1F) != 0x1F || frame.Length < 2 || frame[0] >> 5 is not (0b010 or 0b100 or 0b101))
                continue;
            int after = (frame[0] >> 5) switch
            {
                0b010 => frame[1] & 3,
                0b100 => bank | (frame[1] & 3),
                _ => bank & ~(frame[1] & 3),
            };
            if (known && frame[0] >> 5 != 0b010 && (frame[1] & ~3) == 0 && after == bank)
                noOps++;
            bank = after;
        }
        Assert.That(noOps, Is.Zero);
        Assert.That(bank, Is.EqualTo(chip.PeekRegister(ControlRegister.Econ1) & 3));
    }

    /// <summary>TXRST set then cleared, counted through every WCR, BFS and BFC of ECON1.</summary>
    internal static int TxrstPulses(IEnumerable<byte[]> frames)
    {
        byte econ1 = 0;
        int pulses = 0;
        foreach (byte[] frame in frames)
        {
            byte before = econ1;
            if (!TryApplyEcon1Write(frame, ref econ1))
                continue;
            if ((before & Econ1.TxRst) != 0 && (econ1 & Econ1.TxRst) == 0)
                pulses++;
        }
        return pulses;
    }

    /// <summary>
    /// When <paramref name="frame"/> writes ECON1 (WCR, BFS or BFC to address 1Fh, DS39662E Table 4-1), applies it to
    /// <paramref name="econ1"/>, the value the bus log has set so far.
    /// </summary>
    internal static bool TryApplyEcon1Write(byte[] frame, ref byte econ1)
    {
        if ((frame[0] & 0x1F) != 0x1F || frame.Length < 2 || frame[0] >> 5 is not (0b010 or 0b100 or 0b101))
            return false;
        econ1 = (frame[0] >> 5) switch
        {
            0b010 => frame[1],
            0b100 => (byte)(econ1 | frame[1]),
            _ => (byte)(econ1 & ~frame[1]),
        };
        return true;
    }
}
