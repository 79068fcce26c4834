using System.Buffers.Binary;
using System.Device.Gpio;
using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Drivers.Cyw43.Register.Backplane;
using Seqs.Drivers.Cyw43.Register.Bus;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// The driver against the emulator where the emulator models what the reference drivers say the silicon does
/// (embassy-rs cyw43, cyw43-driver, pico-sdk; docs/reference/cyw43439.md#gspi-bus, #backplane,
/// #control-events-and-join, #data-path): the sample edge and the DATA2 strap, the spidev clock, exact F2 lengths,
/// the latched interrupt register, the boot's clock requests and settling waits, and the CLM.
/// </summary>
public sealed class ChipFidelityTests
{
    private const int Clock = 11, Data = 10, ChipSelect = 8;

    /// <summary>Whether <paramref name="frame"/> is a 1-byte F1 write of <paramref name="value"/> to <paramref name="address"/>'s window offset (32-bit mode).</summary>
    private static bool IsF1Write(byte[] frame, uint address, byte value)
    {
        var command = new GspiCommand(BinaryPrimitives.ReadUInt32BigEndian(frame));
        return command.IsWrite && command.Function == BusFunction.Backplane && command.Length == 1
            && (uint)command.Address == (address & 0x7FFF) && frame.Length >= 8 && frame[7] == value;
    }

    [Test]
    public void BitBanged_ReadsBeforeTheRisingEdge_SoHighSpeedModeGivesTheRightBits()
    {
        GspiLineSimulator? lines = null;
        using var board = new EmulatedCyw43Board(transport: chip =>
            new BitBangedCyw43Bus(Clock, Data, ChipSelect, new GpioController(lines = new GspiLineSimulator(chip, Clock, Data, ChipSelect))));

        board.Boot();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Chip.IsHighSpeed, Is.True, "the bus configuration sets HIGH_SPEED: output changes on the rising edge");
            Assert.That(board.Driver.ChipId, Is.EqualTo(0xA9AF));
            Assert.That(lines!.Violations, Is.Empty);
        }
    }

    [Test]
    public void BitBanged_DrivesDataLowBeforeWlRegOnRises_SoTheStrapSelectsGspi()
    {
        var controller = new GpioController(new FakeGpioDriver());
        GspiLineSimulator? lines = null;
        using var board = new EmulatedCyw43Board(transport: chip =>
        {
            controller = new GpioController(lines = new GspiLineSimulator(chip, Clock, Data, ChipSelect));
            return new BitBangedCyw43Bus(Clock, Data, ChipSelect, controller, shouldDispose: false);
        });
        controller.Write(Data, PinValue.High); // a previous transaction left DATA high

        board.Boot();

        Assert.That(board.Driver.IsInitialized, Is.True);
    }

    [Test]
    public void Spidev_DefaultClock_IsOneARisingEdgeHostSamplesReliably()
    {
        using var board = new EmulatedCyw43Board(transport: chip => new SpidevCyw43Bus(new EmulatedSpidevFile(chip), Cyw43439.SpiClockFrequency, "emulated spidev"));

        board.Boot();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Cyw43439.SpiClockFrequency, Is.EqualTo(25_000_000), "soypat/cyw43439's clock");
            Assert.That(board.Driver.IsInitialized, Is.True);
        }
    }

    [Test]
    public void Spidev_RefusesAClockAboveTheRisingEdgeLimit_SayingWhy()
    {
        var file = new EmulatedSpidevFile(new Cyw43Emulator());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SpidevCyw43Bus(file, 50_000_000, "/dev/spidev0.0"))!;

        Assert.That(error.Message, Does.Contain("rising clock edge").And.Contain("33000000"));
        Assert.That(file.IsDisposed, Is.True);
    }

    [Test]
    public void EmulatedSpidev_AboveTheLimit_ReadsEveryBitOneLate()
    {
        var bytes = new byte[] { 0xBE, 0xAD, 0xFE, 0xED };

        Cyw43Emulator.SampleOneBitLate(bytes);

        Assert.That(bytes, Is.EqualTo(new byte[] { 0x7D, 0x5B, 0xFD, 0xDA }).AsCollection);
    }

    [TestCase(61)]
    [TestCase(62)]
    [TestCase(63)]
    [TestCase(64)]
    public void F2Read_AsksForTheExactLength_SoTheChipNeverUnderflows(int length)
    {
        using var board = new JoinedBoard();
        var buffer = new byte[1514];
        board.Peer.TryTransmit(board.Frame(length));

        Assert.That(board.Driver.TryReceive(buffer, out int received), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(length));
            Assert.That(board.Chip.F2ReadUnderflows, Is.Zero);
            Assert.That(board.Driver.Counters.ReceiveUnderflows, Is.Zero);
        }
    }

    [Test]
    public void F2ReadUnderflow_DropsAndCountsTheFrame()
    {
        using var board = new JoinedBoard();
        var buffer = new byte[1514];
        board.Chip.InjectF2Underflow();
        board.Peer.TryTransmit(board.Frame(100, seed: 1));

        bool first = board.Driver.TryReceive(buffer, out _);
        board.Peer.TryTransmit(board.Frame(100, seed: 2));
        bool second = board.Driver.TryReceive(buffer, out _);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.False, "the frame read with UNDERFLOW is not delivered");
            Assert.That(board.Driver.Counters.ReceiveUnderflows, Is.EqualTo(1));
            Assert.That(second, Is.True, "the next frame is");
        }
    }

    [Test]
    public void HostWake_FallsOnceTheDriverHasReadTheFrame()
    {
        using var board = new JoinedBoard();
        var buffer = new byte[1514];
        Assert.That(board.Chip.HostWakeLine.Read(), Is.False, "idle after the join");
        board.Peer.TryTransmit(board.Frame());
        Assert.That(board.Chip.HostWakeLine.Read(), Is.True, "a frame waits");

        Assert.That(board.Driver.TryReceive(buffer, out _), Is.True);
        int wakeUps = 0;
        board.Driver.ArmWakeUp(() => wakeUps++);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Chip.HostWakeLine.Read(), Is.False, "the latched F2_PACKET_AVAILABLE was written back");
            Assert.That(board.Chip.Interrupts & InterruptFlags.F2PacketAvailable, Is.Zero);
            Assert.That(wakeUps, Is.Zero, "nothing new: the loop sleeps");
        }
    }

    [Test]
    public void Initialize_WithoutAClm_FailsSayingSo()
    {
        using var board = new EmulatedCyw43Board();
        var noClm = new Cyw43Firmware(SyntheticFirmware.Bytes(4093, seed: 1), SyntheticFirmware.Nvram(SyntheticFirmware.RealNvramLength));

        var error = Assert.Throws<Cyw43BootException>(() => board.Boot(noClm))!;

        Assert.That(error.Step, Is.EqualTo(BootStep.Clm));
        Assert.That(error.Message, Does.Contain("CLM"));
        Assert.That(board.Chip.Transactions, Is.Zero, "refused before the chip is touched");
    }

    [Test]
    public void Initialize_RequestsAlpBeforeTheWatermarkProbe_AndHtOnceF2IsReady()
    {
        using var board = new EmulatedCyw43Board();

        board.Boot();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Driver.IsInitialized, Is.True, "the emulator drops watermark writes made before an ALP request");
            Assert.That(board.Chip.ClockRequest & ChipClockCsr.HtRequest, Is.EqualTo(ChipClockCsr.HtRequest));
        }
    }

    [Test]
    public void CoreReset_WaitsAMillisecondAfterTheLastIoControlWrite()
    {
        using var board = new EmulatedCyw43Board();
        var recorder = new RecordingSpiBus(board.Chip);
        var times = new List<TimeSpan>();
        using var driver = new Cyw43439(new FullDuplexCyw43Bus(new TimedSpiBus(recorder, board.Clock, times.Add)), board.Chip.PowerLine,
            options: new Cyw43Options { TimeProvider = board.Clock });

        VirtualTime.Run(board.Clock, driver.InitializeAsync(SyntheticFirmware.Small()));

        // embassy runner.rs core_reset: IOCTRL = CLK, read it back, then 1 ms before anything else.
        int clockOn = recorder.Frames.FindLastIndex(frame => IsF1Write(frame, CoreWrapper.IoControl(Cyw43439Map.WlanArmWrapper), CoreWrapper.IoControlClock));
        Assert.That(clockOn, Is.GreaterThan(0));
        Assert.That(times[clockOn + 2] - times[clockOn + 1], Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public void Initialize_WaitsForTheFirmwareToSettleAfterTheEventMaskAndUp()
    {
        using var board = new EmulatedCyw43Board();

        board.Boot();

        Assert.That(board.Driver.IsInitialized, Is.True, $"the emulator answers ioctls within {Cyw43Emulator.SettleTime.TotalMilliseconds} ms of country, event_msgs or UP with an error");
    }
}
