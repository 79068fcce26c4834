using System.Buffers.Binary;
using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Drivers.Cyw43.Register.Bus;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// The driver's power-up, gSPI handshake and backplane boot against the emulator (embassy spi.rs init, embassy
/// runner.rs Runner::init; docs/reference/cyw43439.md#handshake, docs/reference/cyw43439.md#boot-sequence).
/// </summary>
public sealed class DriverBootTests
{
    [Test]
    public void Initialize_BootsTheFirmware_AndLeavesTheBusConfigured()
    {
        using var board = new EmulatedCyw43Board();
        Cyw43Firmware firmware = SyntheticFirmware.Small();
        board.Chip.ExpectedFirmware = firmware.Firmware.ToArray();

        board.Boot(firmware);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Driver.IsInitialized, Is.True);
            Assert.That(board.Driver.ChipId, Is.EqualTo(0xA9AF));
            Assert.That(board.Chip.IsFirmwareRunning, Is.True, board.Chip.FirmwareRejection);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty);
            Assert.That(board.Chip.IsWord32Mode, Is.True);
            Assert.That(board.Chip.BusConfiguration, Is.EqualTo(0x000304B1), "embassy spi.rs init; docs/reference/cyw43439.md#handshake step 3");
            Assert.That(board.Chip.F1ResponseDelay, Is.EqualTo(4));
            Assert.That(board.Chip.InterruptEnable, Is.EqualTo(0x0020), "F2_PACKET_AVAILABLE after boot (docs/reference/cyw43439.md#boot-sequence step 9)");
            Assert.That(board.Chip.PeekF1Register(0x10008), Is.EqualTo(0x20), "watermark");
            Assert.That(board.Chip.PeekF1Register(0x1000F), Is.Zero, "pulls cleared");
            Assert.That(board.Chip.PeekBackplane32(0x18002024), Is.EqualTo(0xF0), "SDIO INT_HOST_MASK");
            Assert.That(board.Chip.PeekBackplane32(0x18004010), Is.EqualTo(3), "SOCSRAM bank index");
            Assert.That(board.Chip.PeekBackplane32(0x18004044), Is.Zero, "SRAM_3 remap off");
            Assert.That(board.Driver.Status.F2ReceiveReady, Is.True);
            Assert.That(board.Chip.HostWakeLine.Read(), Is.False, "nothing pending, active high");
        }
    }

    [Test]
    public void Initialize_WritesTheNvramUnderItsFooter()
    {
        using var board = new EmulatedCyw43Board();
        Cyw43Firmware firmware = SyntheticFirmware.Small();

        board.Boot(firmware);

        // 742 bytes pad to 744 = 186 words: footer (~186 << 16) | 186, NVRAM at 0x7FFFC - 744.
        uint footer = BinaryPrimitives.ReadUInt32LittleEndian(board.Chip.ReadRam(0x7FFFC, 4));
        byte[] nvram = board.Chip.ReadRam(0x7FFFC - 744, 744);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(footer, Is.EqualTo(0xFF45_00BA));
            Assert.That(nvram[..742], Is.EqualTo(firmware.Nvram.ToArray()).AsCollection);
            Assert.That(nvram[742..], Is.All.Zero, "padding");
        }
    }

    [Test]
    public void FirstFrame_ReadsTheTestRegisterInTheSwappedStartUpMode()
    {
        using var board = new EmulatedCyw43Board();

        board.Boot();

        // Read F0 0x14, 4 bytes: 0x4000A004 with its halves exchanged (embassy spi.rs read32_swapped;
        // docs/reference/cyw43439.md#16-bit-start-up-mode).
        Assert.That(board.Spi.Frames[0][..4], Is.EqualTo(new byte[] { 0xA0, 0x04, 0x40, 0x00 }).AsCollection);
    }

    [Test]
    public void PowerUp_HoldsWlRegOnLowFor20Ms_ThenWaits250MsBeforeTheFirstFrame()
    {
        using var board = new EmulatedCyw43Board();
        var levels = new List<(TimeSpan At, bool High)>();
        TimeSpan? firstFrame = null;
        var spy = new PowerLineSpy(board.Chip.PowerLine, board.Clock, levels);
        var spi = new TimedSpiBus(board.Chip, board.Clock, at => firstFrame ??= at);
        using var driver = new Cyw43439(new FullDuplexCyw43Bus(spi), spy, options: new Cyw43Options { TimeProvider = board.Clock });

        VirtualTime.Run(board.Clock, driver.InitializeAsync(SyntheticFirmware.Small()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(levels[0], Is.EqualTo((TimeSpan.Zero, false)));
            Assert.That(levels[1], Is.EqualTo((TimeSpan.FromMilliseconds(20), true)));
            Assert.That(firstFrame, Is.EqualTo(TimeSpan.FromMilliseconds(270)));
        }
    }

    [Test]
    public void RealSizeFirmware_IsWrittenIn64ByteTransfers_WithTheWindowWrittenOnlyWhenItChanges()
    {
        using var board = new EmulatedCyw43Board();
        Cyw43Firmware firmware = SyntheticFirmware.RealSize();
        board.Chip.ExpectedFirmware = firmware.Firmware.ToArray();

        board.Boot(firmware);

        // 231,077 bytes span windows 0x00000-0x38000: 8 windows; each change writes only the bytes that differ.
        TestContext.Out.WriteLine($"boot: {board.Driver.Transactions} transactions, {board.Driver.WindowWrites} window writes, {board.Chip.Bytes} bytes");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Chip.IsFirmwareRunning, Is.True, board.Chip.FirmwareRejection);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty);
            Assert.That(board.Driver.WindowWrites, Is.LessThan(40));
        }
    }

    [Test]
    public void EveryTransaction_RefreshesTheStatusWord()
    {
        using var board = new EmulatedCyw43Board();
        board.Boot();

        board.Chip.F2NeverReady = true;
        board.Driver.Backplane.Read16(0x18000000);

        Assert.That(board.Driver.Status.F2ReceiveReady, Is.False);
    }

    [Test]
    public void InterruptErrors_AreReadAndClearedByWritingOne()
    {
        using var board = new EmulatedCyw43Board();
        board.Boot();
        board.Chip.InjectInterrupt(InterruptFlags.CommandError | InterruptFlags.DataError);

        var pending = board.Driver.Gspi.ReadInterrupts();
        board.Driver.Gspi.ClearInterrupts(pending.ToUInt16());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pending.ToUInt16() & InterruptFlags.Errors, Is.EqualTo(InterruptFlags.CommandError | InterruptFlags.DataError));
            Assert.That(pending.HasErrors, Is.True);
            Assert.That(board.Chip.Interrupts & InterruptFlags.Errors, Is.Zero);
        }
    }

    [TestCaseSource(nameof(Failures))]
    public void FailedStep_IsNamedInTheError(Action<Cyw43Emulator> fault, BootStep step, string message)
    {
        using var board = new EmulatedCyw43Board(fault);

        var error = Assert.Throws<Cyw43BootException>(() => board.Boot())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Step, Is.EqualTo(step));
            Assert.That(error.Message, Does.Contain(step.ToString()).And.Contain(message));
            Assert.That(board.Driver.IsInitialized, Is.False);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty);
        }
    }

    private static IEnumerable<TestCaseData> Failures()
    {
        yield return new TestCaseData((Action<Cyw43Emulator>)(c => c.IsPresent = false), BootStep.BusTestPattern, "FFFFFFFFh, not FEEDBEADh")
            .SetName("MissingChip_FailsAtBusTestPattern");
        yield return new TestCaseData((Action<Cyw43Emulator>)(c => c.AlpClockFails = true), BootStep.AlpClock, "ALP_AVAIL")
            .SetName("NoAlpClock_FailsAtAlpClock");
        yield return new TestCaseData((Action<Cyw43Emulator>)(c => c.ChipId = 43438), BootStep.ChipId, "A9AEh")
            .SetName("OtherChip_FailsAtChipId");
        yield return new TestCaseData((Action<Cyw43Emulator>)(c => c.HtClockFails = true), BootStep.HtClock, "HT_AVAIL")
            .SetName("NoHtClock_FailsAtHtClock");
        yield return new TestCaseData((Action<Cyw43Emulator>)(c => c.ExpectedFirmware = [1, 2, 3, 4]), BootStep.HtClock, "firmware")
            .SetName("FirmwareRejected_FailsAtHtClock");
        yield return new TestCaseData((Action<Cyw43Emulator>)(c => c.F2NeverReady = true), BootStep.F2Ready, "F2_RX_READY")
            .SetName("F2NeverReady_FailsAtF2Ready");
    }

    [Test]
    public void HtClockTimeout_IsBoundedByTheOption()
    {
        using var board = new EmulatedCyw43Board(c => c.HtClockFails = true);

        Assert.Throws<Cyw43BootException>(() => board.Boot());

        // 20 + 250 ms power-up, 4 ms of core waits, 1 s of HT polls.
        Assert.That(board.Clock.Elapsed, Is.InRange(TimeSpan.FromMilliseconds(1270), TimeSpan.FromMilliseconds(1300)));
    }

    [Test]
    public void Cancellation_StopsTheBoot()
    {
        using var board = new EmulatedCyw43Board(c => c.HtClockFails = true);
        using var cancellation = new CancellationTokenSource();
        Task boot = board.Driver.InitializeAsync(SyntheticFirmware.Small(), cancellation.Token);
        board.Clock.Advance(TimeSpan.FromMilliseconds(300));

        cancellation.Cancel();

        Assert.That(() => VirtualTime.Run(board.Clock, boot), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Dispose_PowersTheChipOff()
    {
        var board = new EmulatedCyw43Board();
        board.Boot();

        board.Dispose();

        Assert.That(board.Chip.PowerLine.Read(), Is.False);
    }

    [Test]
    public void SecondInitialize_PowerCyclesAndBootsAgain()
    {
        using var board = new EmulatedCyw43Board();
        board.Boot();

        board.Boot();

        Assert.That(board.Chip.IsFirmwareRunning, Is.True);
    }
}
