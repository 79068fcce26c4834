using System.Device.Gpio;
using System.Runtime.InteropServices;
using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Drivers.Cyw43.Spidev;
using Seqs.Simulation;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// The single-data-line transports without hardware: the spidev ioctl structures and numbers against Linux's
/// headers, and the whole driver (boot, join, a frame each way) over spidev and over bit-banged GPIO against the
/// emulated chip.
/// </summary>
public sealed class TransportTests
{
    private const int Clock = 11, Data = 10, ChipSelect = 8;

    [Test]
    public void SpiIocTransfer_HasTheKernelsLayout()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Marshal.SizeOf<SpiIocTransfer>(), Is.EqualTo(32));
            Assert.That(Offset(nameof(SpiIocTransfer.TransmitBuffer)), Is.EqualTo(0));
            Assert.That(Offset(nameof(SpiIocTransfer.ReceiveBuffer)), Is.EqualTo(8));
            Assert.That(Offset(nameof(SpiIocTransfer.Length)), Is.EqualTo(16));
            Assert.That(Offset(nameof(SpiIocTransfer.SpeedHz)), Is.EqualTo(20));
            Assert.That(Offset(nameof(SpiIocTransfer.DelayMicroseconds)), Is.EqualTo(24));
            Assert.That(Offset(nameof(SpiIocTransfer.BitsPerWord)), Is.EqualTo(26));
            Assert.That(Offset(nameof(SpiIocTransfer.ChipSelectChange)), Is.EqualTo(27));
            Assert.That(Offset(nameof(SpiIocTransfer.TransmitLines)), Is.EqualTo(28));
            Assert.That(Offset(nameof(SpiIocTransfer.ReceiveLines)), Is.EqualTo(29));
            Assert.That(Offset(nameof(SpiIocTransfer.WordDelayMicroseconds)), Is.EqualTo(30));
        }
    }

    [Test]
    public void SpidevRequests_AreTheKernelsNumbers()
    {
        using (Assert.EnterMultipleScope())
        {
            // dotnet/iot's UnixSpiDevice uses SPI_IOC_MESSAGE(1) = 0x40206B00; two segments double the size field.
            Assert.That(SpidevRequest.Message(1), Is.EqualTo((nuint)0x40206B00));
            Assert.That(SpidevRequest.Message(2), Is.EqualTo((nuint)0x40406B00));
            Assert.That(SpidevRequest.WriteBitsPerWord, Is.EqualTo((nuint)0x40016B03));
            Assert.That(SpidevRequest.WriteMaxSpeedHz, Is.EqualTo((nuint)0x40046B04));
            Assert.That(SpidevRequest.WriteMode32, Is.EqualTo((nuint)0x40046B05));
        }
    }

    [Test]
    public void Spidev_ConfiguresThreeWireMode0_AndCarriesBootJoinAndFrames()
    {
        EmulatedSpidevFile? file = null;
        using var board = new EmulatedCyw43Board(Home, chip => new SpidevCyw43Bus(file = new EmulatedSpidevFile(chip), 25_000_000, "emulated spidev"));

        BootJoinAndExchangeAFrame(board);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(file!.Mode, Is.EqualTo(SpidevRequest.ThreeWireMode), "SPI_3WIRE, mode 0");
            Assert.That(file.BitsPerWord, Is.EqualTo(8));
            Assert.That(file.SpeedHz, Is.EqualTo(25_000_000));
            Assert.That(file.Messages, Is.EqualTo(board.Chip.Transactions), "one SPI_IOC_MESSAGE(2) per transaction");
            Assert.That(file.Violations, Is.Empty);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty);
        }
        board.Dispose();
        Assert.That(file.IsDisposed, Is.True);
    }

    [Test]
    public void Spidev_WithoutThreeWireSupport_FailsSayingSo()
    {
        var file = new EmulatedSpidevFile(new Cyw43Emulator()) { RefusesThreeWire = true };

        var error = Assert.Throws<IOException>(() => new SpidevCyw43Bus(file, 25_000_000, "/dev/spidev0.0"))!;

        Assert.That(error.Message, Does.Contain("/dev/spidev0.0").And.Contain("3-wire"));
        Assert.That(file.IsDisposed, Is.True);
    }

    [Test]
    public void BitBanged_CarriesBootJoinAndFrames_OnOneDataLine()
    {
        GspiLineSimulator? lines = null;
        using var board = new EmulatedCyw43Board(Home, chip =>
            new BitBangedCyw43Bus(Clock, Data, ChipSelect, new GpioController(lines = new GspiLineSimulator(chip, Clock, Data, ChipSelect))));

        BootJoinAndExchangeAFrame(board);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines!.Frames, Is.EqualTo(board.Chip.Transactions));
            Assert.That(lines.Violations, Is.Empty);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty);
        }
    }

    [Test]
    public void BitBanged_RefusesSharedPins()
    {
        Assert.Throws<ArgumentException>(() => new BitBangedCyw43Bus(Clock, Clock, ChipSelect, new GpioController(new FakeGpioDriver())));
    }

    [Test]
    public void BindingsConstructor_OpensWlRegOnLowAndTheHostWakeInput_AndDisposesWhatItOwns()
    {
        var gpio = new FakeGpioDriver();
        var chip = new Cyw43Emulator();
        var bus = new FullDuplexCyw43Bus(chip);

        var driver = new Cyw43439(bus, powerOnPin: 23, hostWakePin: 24, new GpioController(gpio));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(gpio.ModeOf(23), Is.EqualTo(PinMode.Output));
            Assert.That(gpio.Writes, Does.Not.Contain((23, PinValue.High)), "the chip stays off until the boot");
            Assert.That(gpio.ModeOf(24), Is.EqualTo(PinMode.Input));
        }
        driver.Dispose();
        Assert.That(gpio.IsDisposed, Is.True);
    }

    [Test]
    public void BindingsConstructor_LeavesASharedControllerOpen_ClosingItsPins()
    {
        var gpio = new FakeGpioDriver();

        new Cyw43439(new FullDuplexCyw43Bus(new Cyw43Emulator()), powerOnPin: 23, hostWakePin: 24, new GpioController(gpio), shouldDispose: false).Dispose();

        Assert.That(gpio.IsDisposed, Is.False);
        Assert.That(gpio.IsOpen(23) || gpio.IsOpen(24), Is.False);
    }

    private static void Home(Cyw43Emulator chip) => chip.AccessPoints.Add(new EmulatedAccessPoint(EmulatedWifiNetwork.Ssid, EmulatedWifiNetwork.Passphrase));

    private static void BootJoinAndExchangeAFrame(EmulatedCyw43Board board)
    {
        board.Boot();
        (CrossoverNic air, CrossoverNic peer) = CrossoverNic.CreatePair(board.Chip.MacAddress, JoinedBoard.PeerMac);
        board.Chip.Attach(air);
        Task<WifiJoinResult> join = board.Driver.JoinAsync(EmulatedWifiNetwork.Ssid, EmulatedWifiNetwork.Passphrase);
        VirtualTime.Run(board.Clock, join);
        Assert.That(join.Result, Is.EqualTo(WifiJoinResult.Joined));

        byte[] outbound = PatternFrame.Create(1514, JoinedBoard.PeerMac, seed: 1);
        byte[] inbound = PatternFrame.Create(1514, board.Chip.MacAddress, seed: 2);
        var buffer = new byte[1514];
        Assert.That(board.Driver.TryTransmit(outbound), Is.True);
        Assert.That(peer.TryReceive(buffer, out int length) && buffer.AsSpan(0, length).SequenceEqual(outbound), Is.True, "frame to the air");
        peer.TryTransmit(inbound);
        Assert.That(board.Driver.TryReceive(buffer, out length) && buffer.AsSpan(0, length).SequenceEqual(inbound), Is.True, "frame from the air");
    }

    private static int Offset(string field) => (int)Marshal.OffsetOf<SpiIocTransfer>(field);
}
