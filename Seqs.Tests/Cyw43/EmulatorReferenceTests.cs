using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Simulation;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// The emulator against the facts of the reference drivers (embassy-rs cyw43, cyw43-driver, soypat/cyw43439) as
/// docs/reference/cyw43439.md collects them, through hand-built frames (<see cref="RawGspi"/>),
/// independent of the driver.
/// </summary>
public sealed class EmulatorReferenceTests
{
    private const uint WlanReset = 0x18103800;
    private const uint WlanIoControl = 0x18103408;
    private const uint SocSramReset = 0x18104800;
    private const uint SocSramIoControl = 0x18104408;

    private readonly VirtualClock _clock = new();

    [Test]
    public void TestRegister_InStartUpMode_ReadsBeadFeedUnswapped()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);

        byte[] receive = raw.Frame(RawGspi.Command(false, 0, 0x14, 4), [], 4);

        using (Assert.EnterMultipleScope())
        {
            // embassy spi.rs init; docs/reference/cyw43439.md#handshake: "An unswapped read of the test register gives
            // 0xBEADFEED."
            Assert.That(receive[4..8], Is.EqualTo(new byte[] { 0xBE, 0xAD, 0xFE, 0xED }).AsCollection);
            Assert.That(raw.Read(0, 0x14, 4), Is.EqualTo(0xFEEDBEAD), "swapped back");
            Assert.That(chip.IsWord32Mode, Is.False);
        }
    }

    [Test]
    public void StartUpCommand_GoesOutAsV15To8_V7To0_V31To24_V23To16()
    {
        var raw = new RawGspi(PoweredChip());

        // Read F0 0x14, 4 bytes, incrementing: 0x4000A004 (embassy cmd_word); swapped on the wire.
        Assert.That(raw.WireWord(0x4000A004), Is.EqualTo(new byte[] { 0xA0, 0x04, 0x40, 0x00 }).AsCollection);
    }

    [Test]
    public void UnpoweredChip_DrivesNothing()
    {
        var chip = new Cyw43Emulator(_clock);

        byte[] receive = new RawGspi(chip).Frame(RawGspi.Command(false, 0, 0x14, 4), [], 4);

        Assert.That(receive, Is.All.EqualTo(0xFF));
    }

    [Test]
    public void ReadWriteTestRegister_HoldsWhatWasWritten_InBothModes()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);

        raw.Write(0, 0x18, 0x12345678, 4);
        uint swapped = raw.Read(0, 0x18, 4);
        raw.Configure();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(swapped, Is.EqualTo(0x12345678));
            Assert.That(raw.Read(0, 0x18, 4), Is.EqualTo(0x12345678));
        }
    }

    [Test]
    public void BusControlWrite_SwitchesTo32BitWords_AndAppendsTheStatusWord()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);

        raw.Configure();
        byte[] receive = raw.Frame(RawGspi.Command(false, 0, 0x14, 4), [], 4);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chip.IsWord32Mode, Is.True);
            Assert.That(chip.BusConfiguration, Is.EqualTo(0x000304B1));
            Assert.That(receive[4..8], Is.EqualTo(new byte[] { 0xFE, 0xED, 0xBE, 0xAD }).AsCollection, "MSB first");
            Assert.That(raw.LastStatus, Is.Zero, "no F2 yet, nothing pending");
        }
        chip.InjectInterrupt(0x0001);
        raw.Read(0, 0x14, 4);
        Assert.That(raw.LastStatus & 1, Is.EqualTo(1), "STATUS b0 data-not-available");
    }

    [Test]
    public void F1Read_StartsWithTheResponseDelayFiller()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        raw.Configure();
        raw.Write(1, 0x1000E, 0x08, 1); // ALP_AVAIL_REQ: the backplane registers need the ALP clock
        raw.Write(1, 0x10008, 0x10, 1);

        byte[] receive = raw.Frame(RawGspi.Command(false, 1, 0x10008, 1), [], 8);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chip.F1ResponseDelay, Is.EqualTo(4));
            Assert.That(receive[8..12], Is.EqualTo(new byte[] { 0, 0, 0, 0x10 }).AsCollection, "the byte in the low byte of the word after the filler");
        }
    }

    [Test]
    public void InterruptRegister_WriteOneClearsOnlyTheClearableBits()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        raw.Configure();
        chip.InjectInterrupt(0x0008 | 0x0010 | 0x0080);

        raw.Write(0, 0x04, 0x0008 | 0x0080 | 0x0020, 2);

        Assert.That(raw.Read(0, 0x04, 2), Is.EqualTo(0x0010));
    }

    [Test]
    public void HostWakeLine_IsAssertedWhileAnEnabledInterruptIsPending_AtTheConfiguredPolarity()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        var edges = new List<bool>();
        chip.HostWakeLine.EdgeDetected += (_, high) => edges.Add(high);
        bool idleBeforeConfiguration = chip.HostWakeLine.Read();

        raw.Configure(); // INTERRUPT_POLARITY_HIGH
        raw.Write(0, 0x06, 0x0008, 2);
        bool idle = chip.HostWakeLine.Read();
        chip.InjectInterrupt(0x0008);
        bool pending = chip.HostWakeLine.Read();
        raw.Write(0, 0x04, 0x0008, 2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(idleBeforeConfiguration, Is.True, "active low before INTERRUPT_POLARITY_HIGH");
            Assert.That(idle, Is.False);
            Assert.That(pending, Is.True);
            Assert.That(chip.HostWakeLine.Read(), Is.False, "cleared");
            Assert.That(edges, Is.EqualTo(new[] { false, true, false }).AsCollection);
        }
    }

    [Test]
    public void ChipCommon_ReadsChipIdA9AF()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        raw.Configure();

        raw.SetWindow(0x18000000);

        Assert.That(raw.Read(1, 0x0000, 2), Is.EqualTo(0xA9AF));
    }

    [TestCase(68, 0x0000, "at most 64 bytes")]
    [TestCase(64, 0x7FE0, "crosses the end")]
    [TestCase(8, 0x0002, "4-byte aligned")]
    public void BulkTransferBreakingTheWindowRules_IsRecordedAsAViolation(int length, int offset, string expected)
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        raw.Configure();

        raw.WriteBytes(1, offset, new byte[length]);

        Assert.That(chip.ProtocolViolations, Has.One.Contains(expected));
    }

    [Test]
    public void FourByteAccessFlag_IsIgnored()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        raw.Configure();
        StartSocSram(raw);

        raw.BackplaneWrite32(0x100, 0xCAFEF00D);

        Assert.That(chip.ReadRam(0x100, 4), Is.EqualTo(new byte[] { 0x0D, 0xF0, 0xFE, 0xCA }).AsCollection);
    }

    [Test]
    public void RamWrites_AreLostWhileTheSocSramIsInReset()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        raw.Configure();

        raw.BackplaneWriteBytes(0, [1, 2, 3, 4]);

        Assert.That(chip.ReadRam(0, 4), Is.All.Zero);
    }

    [Test]
    public void Firmware_WithNvramAndFooter_StartsAndHtClockFollowsAfter29Ms()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        raw.Configure();
        StartSocSram(raw);
        raw.BackplaneWriteBytes(0, [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]);
        WriteNvram(raw, footer: 0xFFFE_0001);

        StartWlan(raw);
        uint before = raw.Read(1, 0x1000E, 1);
        _clock.Advance(TimeSpan.FromMilliseconds(29));
        uint after = raw.Read(1, 0x1000E, 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chip.IsFirmwareRunning, Is.True, chip.FirmwareRejection);
            Assert.That(before & 0x80, Is.Zero);
            Assert.That(after & 0x80, Is.EqualTo(0x80), "HT_AVAIL");
            Assert.That(raw.LastStatus & 0x20, Is.EqualTo(0x20), "F2_RX_READY");
        }
    }

    [TestCase(false, 0xFFFE_0001u, "no firmware")]
    [TestCase(true, 0x0000_0001u, "footer")]
    [TestCase(true, 0xFFFE_0002u, "footer")]
    [TestCase(true, 0x0000_0000u, "footer")]
    public void Firmware_WithoutImageOrWithAWrongFooter_StaysDead(bool writeFirmware, uint footer, string reason)
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        raw.Configure();
        StartSocSram(raw);
        if (writeFirmware)
            raw.BackplaneWriteBytes(0, [0x01, 0x02, 0x03, 0x04]);
        WriteNvram(raw, footer);

        StartWlan(raw);
        _clock.Advance(TimeSpan.FromSeconds(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chip.IsFirmwareRunning, Is.False);
            Assert.That(chip.FirmwareRejection, Does.Contain(reason));
            Assert.That(raw.Read(1, 0x1000E, 1) & 0x80, Is.Zero, "no HT_AVAIL");
        }
    }

    [Test]
    public void AlpRequest_SetsAlpAvailable()
    {
        var raw = new RawGspi(PoweredChip());
        raw.Configure();

        raw.Write(1, 0x1000E, 0x08, 1);

        Assert.That(raw.Read(1, 0x1000E, 1) & 0x40, Is.EqualTo(0x40));
    }

    [Test]
    public void PowerCycle_ReturnsTheBusToTheStartUpMode()
    {
        var chip = PoweredChip();
        var raw = new RawGspi(chip);
        raw.Configure();

        chip.PowerLine.Write(false);
        chip.PowerLine.Write(true);

        Assert.That(chip.IsWord32Mode, Is.False);
    }

    private Cyw43Emulator PoweredChip()
    {
        var chip = new Cyw43Emulator(_clock);
        chip.PowerLine.Write(true);
        return chip;
    }

    private static void StartSocSram(RawGspi raw)
    {
        raw.BackplaneWrite8(SocSramIoControl, 0x03);
        raw.BackplaneWrite8(SocSramReset, 0);
        raw.BackplaneWrite8(SocSramIoControl, 0x01);
    }

    private static void StartWlan(RawGspi raw)
    {
        raw.BackplaneWrite8(WlanIoControl, 0x03);
        raw.BackplaneWrite8(WlanReset, 0);
        raw.BackplaneWrite8(WlanIoControl, 0x01);
    }

    /// <summary>
    /// One NVRAM word under the footer at 0x7FFFC (embassy runner.rs Runner::init;
    /// docs/reference/cyw43439.md#boot-sequence step 6).
    /// </summary>
    private static void WriteNvram(RawGspi raw, uint footer)
    {
        raw.BackplaneWriteBytes(0x7FFF8, "a=1\0"u8.ToArray());
        raw.BackplaneWrite32(0x7FFFC, footer);
    }
}
