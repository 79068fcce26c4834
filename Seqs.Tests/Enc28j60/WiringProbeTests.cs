using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;

namespace Seqs.Tests.Enc28j60;

/// <summary>The wiring checks of <c>seqs-device doctor</c>, one fault of the emulated board at a time.</summary>
public sealed class WiringProbeTests
{
    private static Enc28j60WiringProbe ProbeOf(Enc28j60Emulator chip) => new(chip, chip.InterruptLine, chip.ResetLine);

    [Test]
    public void HealthyBoard_PassesEveryCheck()
    {
        var chip = new Enc28j60Emulator();
        var probe = ProbeOf(chip);

        Assert.That(probe.ResetChip(), Is.True, "CLKRDY");
        Assert.That(probe.ReadRevision(), Is.EqualTo(Enc28j60Emulator.RevisionB7));
        Assert.That(probe.ReadResetValues(out byte? level), Is.Null);
        Assert.That(level, Is.Null, "MISO moves");
        Assert.That(probe.WriteAndReadBack(), Is.Null);
        Assert.That(probe.CheckInterruptLine(), Is.EqualTo(InterruptLineResponse.Toggles));
        Assert.That(chip.IsInterruptAsserted, Is.False, "the check leaves no interrupt raised");
        Assert.That(probe.ResetLineResets(), Is.True);
        Assert.That(probe.IsLinkUp(), Is.True);
    }

    /// <summary>Before any reset the bank is unknown: a first access to bank 3 must still reach bank 3.</summary>
    [Test]
    public void FirstReadBeforeAnyReset_SelectsTheBankItNeeds()
    {
        var chip = new Enc28j60Emulator();
        new RawSpi(chip).SelectBank(0);
        Assert.That(new Enc28j60WiringProbe(chip).ReadRevision(), Is.EqualTo(Enc28j60Emulator.RevisionB7));
    }

    [Test]
    public void ChipLeftInPowerSave_IsResetAllTheSame()
    {
        var probe = ProbeOf(new Enc28j60Emulator(leftInPowerSave: true));
        Assert.That(probe.ResetChip(), Is.True);
        Assert.That(probe.ReadResetValues(out _), Is.Null);
    }

    [TestCase(Enc28j60WiringFault.MisoStuckHigh, 0xFF, InterruptLineResponse.Toggles)]
    [TestCase(Enc28j60WiringFault.MisoStuckLow, 0x00, InterruptLineResponse.Toggles)]
    [TestCase(Enc28j60WiringFault.NoChip, 0xFF, InterruptLineResponse.NeverAsserted)]
    public void MisoThatNeverMoves_ReadsOneLevel_AndOnlyALiveChipStillAnswersOnInt(Enc28j60WiringFault fault, int misoLevel, InterruptLineResponse interrupt)
    {
        var chip = new Enc28j60Emulator();
        chip.Inject(fault);
        var probe = ProbeOf(chip);
        probe.ResetChip();

        Assert.That(probe.ReadRevision(), Is.EqualTo(misoLevel));
        Assert.That(probe.ReadResetValues(out byte? level), Is.Not.Null);
        Assert.That(level, Is.EqualTo(misoLevel));
        Assert.That(probe.CheckInterruptLine(), Is.EqualTo(interrupt));
    }

    [Test]
    public void OpenIntLine_NeverAsserts()
    {
        var chip = new Enc28j60Emulator();
        chip.Inject(Enc28j60WiringFault.NoInterrupt);
        Assert.That(ProbeOf(chip).CheckInterruptLine(), Is.EqualTo(InterruptLineResponse.NeverAsserted));
    }

    [Test]
    public void OpenResetLine_LeavesTheRegistersAlone()
    {
        var chip = new Enc28j60Emulator();
        chip.Inject(Enc28j60WiringFault.NoReset);
        Assert.That(ProbeOf(chip).ResetLineResets(), Is.False);
    }

    [Test]
    public void StoppedOscillator_NeverSetsClkrdy_ButRegistersStillAnswer()
    {
        var chip = new Enc28j60Emulator();
        chip.Inject(Enc28j60WiringFault.NoClock);
        var probe = ProbeOf(chip);
        Assert.That(probe.ResetChip(), Is.False);
        Assert.That(probe.ReadRevision(), Is.EqualTo(Enc28j60Emulator.RevisionB7));
    }

    [Test]
    public void NoLink_IsReported()
    {
        var chip = new Enc28j60Emulator();
        chip.Inject(Enc28j60WiringFault.NoLink);
        var probe = ProbeOf(chip);
        probe.ResetChip();
        Assert.That(probe.IsLinkUp(), Is.False);
    }

    /// <summary>PHCON1.PLOOPBK: the driver's own frame comes back to it, with or without a link.</summary>
    [TestCase(true)]
    [TestCase(false)]
    public void PhyLoopback_ReturnsTheFrameSent(bool linkUp)
    {
        var chip = new Enc28j60Emulator { LinkUp = linkUp };
        var wire = new List<byte[]>();
        chip.FrameTransmitted += frame => wire.Add(frame.ToArray());
        using var driver = new Drivers.Enc28j60.Enc28j60(chip, chip.InterruptLine, options: new Enc28j60Options { MacAddress = EmulatedBoard.Mac, PhyLoopback = true });
        byte[] frame = PatternFrame.Create(300, EmulatedBoard.Mac);

        Assert.That(driver.TryTransmit(frame), Is.True);
        var buffer = new byte[1514];
        Assert.That(driver.TryReceive(buffer, out int length), Is.True);
        Assert.That(buffer[..length], Is.EqualTo(frame).AsCollection);
        Assert.That(wire, Is.Empty, "nothing reaches the wire");
    }
}
