using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Drivers.Cyw43.Register.Events;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// The Wi-Fi set-up after the firmware boots (embassy control.rs Control::init;
/// docs/reference/cyw43439.md#initialisation), driver against emulator.
/// </summary>
public sealed class WlanSetupTests
{
    [Test]
    public void Initialize_UploadsTheClmInOneChunk_AndItsStatusReadsZero()
    {
        using var board = new EmulatedCyw43Board();

        board.Boot();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Chip.ClmLoaded, Is.EqualTo((SyntheticFirmware.RealClmLength, 1)));
            Assert.That(board.Driver.IsInitialized, Is.True);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty);
        }
    }

    [Test]
    public void LargerClm_GoesIn1024ByteChunks_FlaggedBeginAndEnd()
    {
        using var board = new EmulatedCyw43Board();
        var firmware = new Cyw43Firmware(SyntheticFirmware.Bytes(4093, 1), SyntheticFirmware.Nvram(742), SyntheticFirmware.Bytes(4752, 4));

        board.Boot(firmware);

        Assert.That(board.Chip.ClmLoaded, Is.EqualTo((4752, 5)));
        Assert.That(board.Chip.ProtocolViolations, Is.Empty, "BEGIN first, handler version on every chunk");
    }

    [Test]
    public void Initialize_SetsCountryEventMaskAndUp_AndReadsTheMac()
    {
        using var board = new EmulatedCyw43Board(c => c.MacAddress = new MacAddress(0x02_12_34_56_78_9A));

        board.Boot();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Chip.Country, Is.EqualTo("XX"));
            Assert.That(board.Chip.IsEventEnabled(WlanEventType.Link), Is.True);
            Assert.That(board.Chip.IsEventEnabled(WlanEventType.EscanResult), Is.True);
            Assert.That(board.Chip.IoctlValue(Ioctl.Up), Is.Not.Null);
            Assert.That(board.Chip.Variable("bus:txglom"), Is.EqualTo(new byte[4]).AsCollection);
            Assert.That(board.Chip.Variable("apsta"), Is.EqualTo(new byte[] { 1, 0, 0, 0 }).AsCollection);
            Assert.That(board.Driver.MacAddress, Is.EqualTo(new MacAddress(0x02_12_34_56_78_9A)));
        }
    }

    [Test]
    public void Country_ComesFromTheOptions()
    {
        var clock = new VirtualClock();
        var chip = new Cyw43Emulator(clock);
        using var driver = new Cyw43439(new FullDuplexCyw43Bus(chip), chip.PowerLine, chip.HostWakeLine,
            new Cyw43Options { TimeProvider = clock, Country = "DE" });

        VirtualTime.Run(clock, driver.InitializeAsync(SyntheticFirmware.Small()));

        Assert.That(chip.Country, Is.EqualTo("DE"));
    }

    [Test]
    public void BadCountryCode_IsRefusedAtConstruction()
    {
        var chip = new Cyw43Emulator();

        Assert.Throws<ArgumentException>(() => new Cyw43439(new FullDuplexCyw43Bus(chip), chip.PowerLine, options: new Cyw43Options { Country = "germany" }));
    }

    [Test]
    public void ClmRejectedByTheFirmware_FailsTheClmStep()
    {
        using var board = new EmulatedCyw43Board(c => c.FailsClmLoad = true);

        var error = Assert.Throws<Cyw43BootException>(() => board.Boot())!;

        Assert.That(error.Step, Is.EqualTo(BootStep.Clm));
        Assert.That(error.Message, Does.Contain("clmload_status"));
    }

    [Test]
    public void CreditOfOneFrame_StillCarriesEveryIoctl_WithinTheCredit()
    {
        using var board = new EmulatedCyw43Board(c => c.CreditWindow = 1);

        board.Boot();
        for (int i = 0; i < 20; i++)
            VirtualTime.Run(board.Clock, board.Driver.SetVariableAsync("ampdu_mpdu", 4));

        Assert.That(board.Chip.ProtocolViolations, Is.Empty);
    }
}
