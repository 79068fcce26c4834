using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Phy;
using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

public sealed class DriverInitTests
{
    [Test]
    public void Initialization_StartsWithThePowerSaveCheckAndTheResetCommand_AndLeavesTheChipConfigured()
    {
        var chip = new Enc28j60Emulator();
        var bus = new RecordingSpiBus(chip);
        using var driver = new Drivers.Enc28j60.Enc28j60(bus, chip.InterruptLine, options: new Enc28j60Options { MacAddress = EmulatedBoard.Mac });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bus.Frames[0], Is.EqualTo(new byte[] { 0x1E, 0x00 }).AsCollection, "RCR ECON2: errata #19, power save?");
            Assert.That(bus.Frames[1], Is.EqualTo(new byte[] { 0xFF }).AsCollection, "SRC");
            Assert.That(bus.Frames.All(f => f.Length >= 1), Is.True);
            Assert.That(chip.PeekPair(ControlRegister.Erxst), Is.EqualTo(0x0000), "errata #5");
            Assert.That(chip.PeekPair(ControlRegister.Erxnd), Is.EqualTo(0x19FF));
            Assert.That(chip.PeekPair(ControlRegister.Erxrdpt) & 1, Is.EqualTo(1), "errata #14: odd");
            Assert.That(chip.PeekPair(ControlRegister.Etxst), Is.EqualTo(0x1A00));
            Assert.That(chip.PeekPair(ControlRegister.Mamxfl), Is.EqualTo(1518));
            Assert.That(chip.PeekRegister(ControlRegister.Erxfcon), Is.EqualTo(0xA3), "UCEN|CRCEN|MCEN|BCEN");
            Assert.That(chip.PeekRegister(ControlRegister.Macon1), Is.EqualTo(0x0D), "MARXEN|TXPAUS|RXPAUS");
            Assert.That(chip.PeekRegister(ControlRegister.Macon3), Is.EqualTo(0x33), "PADCFG0|TXCRCEN|FRMLNEN|FULDPX");
            Assert.That(chip.PeekRegister(ControlRegister.Mabbipg), Is.EqualTo(0x15));
            Assert.That(chip.PeekRegister(ControlRegister.Maadr1), Is.EqualTo(0x02), "first octet in MAADR1");
            Assert.That(chip.PeekRegister(ControlRegister.Maadr6), Is.EqualTo(0x9A));
            Assert.That(chip.PeekPhy(PhyRegister.Phcon1), Is.EqualTo(0x0100), "PDPXMD");
            Assert.That(chip.PeekPhy(PhyRegister.Phcon2), Is.Zero);
            Assert.That(chip.PeekPhy(PhyRegister.Phlcon), Is.EqualTo(0x3476));
            Assert.That(chip.PeekPhy(PhyRegister.Phie), Is.EqualTo(0x0012));
            Assert.That(chip.PeekRegister(ControlRegister.Eie), Is.EqualTo(0xD3), "INTIE|PKTIE|LINKIE|TXERIE|RXERIE");
            Assert.That(chip.PeekRegister(ControlRegister.Econ1) & Econ1.RxEn, Is.Not.Zero);
            Assert.That(chip.PeekRegister(ControlRegister.Econ2), Is.EqualTo(0x88), "AUTOINC|VRPS");
            Assert.That(driver.Revision, Is.EqualTo(Enc28j60Emulator.RevisionB7));
            Assert.That(driver.IsLinkUp, Is.True);
            Assert.That(driver.MacAddress, Is.EqualTo(EmulatedBoard.Mac));
        }
    }

    [Test]
    public void IdleReceive_WithTheInterruptLineHigh_TouchesNoBus()
    {
        using var board = new EmulatedBoard();
        long exchanges = board.Chip.SpiExchanges;
        Assert.That(board.Receive(), Is.Null);
        Assert.That(board.Chip.SpiExchanges, Is.EqualTo(exchanges));
    }

    [Test]
    public void WithoutMulticast_TheChipFiltersMulticastFrames()
    {
        var chip = new Enc28j60Emulator();
        using var driver = new Drivers.Enc28j60.Enc28j60(chip, options: new Enc28j60Options { MacAddress = EmulatedBoard.Mac, AcceptMulticast = false });
        Assert.That(chip.DeliverFrame(PatternFrame.Create(60, new MacAddress(0x01_00_5E_00_00_FB))), Is.False);
        Assert.That(chip.DeliverFrame(PatternFrame.Create(60, new MacAddress(0x02_00_00_00_00_55))), Is.False);
        Assert.That(chip.DeliverFrame(PatternFrame.Create(60, EmulatedBoard.Mac)), Is.True);
    }

    [Test]
    public void NoMacAddressGiven_PicksALocallyAdministeredUnicastAddress()
    {
        var chip = new Enc28j60Emulator();
        using var driver = new Drivers.Enc28j60.Enc28j60(chip, options: new Enc28j60Options { RandomSeed = 5 });
        Assert.That(driver.MacAddress.IsUnicast, Is.True);
        Assert.That(driver.MacAddress.Value >> 40 & 0x02, Is.EqualTo(0x02));
    }

    [Test]
    public void PowerSave_StopsReception_AndLeavingItResumes()
    {
        using var board = new EmulatedBoard();
        board.Driver.EnterPowerSave();
        Assert.That(board.Chip.PeekRegister(ControlRegister.Econ2) & Econ2.PwrSv, Is.Not.Zero);
        Assert.That(board.Chip.DeliverFrame(PatternFrame.Create(60, EmulatedBoard.Mac)), Is.False);
        Assert.That(board.Driver.TryTransmit(PatternFrame.Create(60, MacAddress.Broadcast)), Is.False);

        board.Driver.LeavePowerSave();

        Assert.That(board.Chip.DeliverFrame(PatternFrame.Create(60, EmulatedBoard.Mac)), Is.True);
        Assert.That(board.Receive(), Is.Not.Null);
    }

    [Test]
    public void SpiClockAboveTwentyMegahertz_IsRefused()
    {
        var chip = new Enc28j60Emulator(clockFrequency: 20_000_001);
        Assert.Throws<ArgumentException>(() => new Drivers.Enc28j60.Enc28j60(chip));
    }

    [Test]
    public void ArmWakeUp_FiresAtOnce_WhenAFrameIsWaiting_AndOnTheInterruptEdge()
    {
        using var board = new EmulatedBoard();
        int wakes = 0;
        board.Driver.ArmWakeUp(() => wakes++);
        Assert.That(wakes, Is.Zero);
        board.Chip.DeliverFrame(PatternFrame.Create(60, EmulatedBoard.Mac));
        Assert.That(wakes, Is.EqualTo(1), "INT falling edge");
        board.Driver.ArmWakeUp(() => wakes++);
        Assert.That(wakes, Is.EqualTo(2), "frame already waiting");
    }
}
