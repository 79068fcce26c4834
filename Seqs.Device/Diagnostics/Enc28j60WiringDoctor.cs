using System.Device.Gpio;
using System.Device.Spi;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Seqs.Device.Nics;
using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Hal;
using Seqs.Wire;

namespace Seqs.Device.Diagnostics;

/// <summary>
/// <c>seqs-device doctor --nic enc28j60</c>: the SPI device, the chip's revision (EREVID), the MISO line, a write read
/// back, the oscillator (CLKRDY), INT and RESET when wired, the PHY link, and a frame through the PHY's own loopback
/// (PHCON1.PLOOPBK) read back intact. With <c>--chip-emulator</c> the board is the emulator's, INT and RESET wired,
/// with the fault of <c>--emulator-fault</c>; its RJ45 side is left unplugged into anything (no TAP is needed), and its
/// PHY reports a link unless the fault is <c>no-link</c>.
/// </summary>
internal sealed class Enc28j60WiringDoctor : IWiringDoctor
{
    private const string SpiStep = "SPI device", RevisionStep = "chip revision (EREVID)", MisoStep = "MISO line",
        WriteStep = "register write and read-back", ClockStep = "oscillator (ESTAT.CLKRDY after reset)", InterruptStep = "INT line",
        ResetStep = "RESET line", LinkStep = "PHY link", LoopbackStep = "frame through the PHY loopback";

    /// <summary>How long the looped-back frame may take: a 10BASE-T frame is on the wire for about 1.2 ms.</summary>
    private static readonly TimeSpan LoopbackPatience = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<DoctorStep> ExamineAsync(DeviceOptions options, ILoggerFactory loggers, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Enc28j60NicOptions wiring = options.NicOptions<Enc28j60NicOptions>();
        var board = Board.Open(options, wiring, out DoctorStep opened);
        yield return opened;
        if (board is null)
            yield break;
        using (board)
        {
            var probe = new Enc28j60WiringProbe(board.Spi, board.Interrupt, board.Reset);
            bool clockReady = probe.ResetChip();
            byte revision = probe.ReadRevision();
            string? wrongValue = probe.ReadResetValues(out byte? misoLevel);
            if (revision is 0x00 or 0xFF)
            {
                yield return DoctorStep.Fail(RevisionStep, $"EREVID reads {revision:X2}h, which no ENC28J60 has: no chip answers. Check CS (the chip select of {board.Name}), power (3.3 V at VDD) and the MISO wire (SO on the chip).");
                yield return MisoWithoutAnswer(probe, board, misoLevel);
                yield break;
            }
            yield return DoctorStep.Pass(RevisionStep, RevisionName(revision));
            if (wrongValue is not null)
            {
                yield return DoctorStep.Fail(MisoStep, $"{wrongValue} after a reset (DS39662E Table 3-2): bits come back wrong. Check the MISO and SCK wires (short, direct, a common ground), or lower --spi-hz.");
                yield break;
            }
            yield return DoctorStep.Pass(MisoStep, "reset values read back right");
            if (probe.WriteAndReadBack() is string mismatch)
            {
                yield return DoctorStep.Fail(WriteStep, $"{mismatch}: the chip does not take what is written. Check the MOSI wire (SI on the chip).");
                yield break;
            }
            yield return DoctorStep.Pass(WriteStep);
            if (!clockReady)
            {
                yield return DoctorStep.Fail(ClockStep, "CLKRDY never set after a reset: the chip's 25 MHz oscillator does not run. Check the crystal and the 3.3 V supply (VDDOSC).");
                yield break;
            }
            yield return DoctorStep.Pass(ClockStep);
            if (board.Interrupt is not null)
                yield return Interrupt(probe.CheckInterruptLine(), board);
            if (board.Reset is not null)
            {
                yield return probe.ResetLineResets() ? DoctorStep.Pass(ResetStep)
                    : DoctorStep.Fail(ResetStep, $"the chip kept its registers through a low pulse on {board.ResetName}: check the wire from that GPIO to RESET.");
            }
            yield return probe.IsLinkUp() ? DoctorStep.Pass(LinkStep, "link pulses seen")
                : DoctorStep.Fail(LinkStep, "no link: plug the cable in; the ENC28J60 has no auto-negotiation, so set the switch port to 10 Mb/s full duplex.");
            yield return await LoopbackAsync(board, options.MacAddress, loggers, cancellationToken).ConfigureAwait(false);
        }
    }

    private static DoctorStep MisoWithoutAnswer(Enc28j60WiringProbe probe, Board board, byte? level)
    {
        if (level is not byte stuck)
            return DoctorStep.Fail(MisoStep, "MISO carries values, but not a chip's: check that CS goes to the ENC28J60 and SPI mode 0.");
        string high = stuck == 0xFF ? "high" : "low";
        if (board.Interrupt is not null && probe.CheckInterruptLine() == InterruptLineResponse.Toggles)
            return DoctorStep.Fail(MisoStep, $"stuck {high}: the chip takes commands (its INT line answered) but MISO always reads {stuck:X2}h. Check the MISO wire for a short to {(stuck == 0xFF ? "3.3 V" : "ground")} or a break between SO and the host's MISO.");
        return DoctorStep.Fail(MisoStep, $"reads {stuck:X2}h whatever is asked, and nothing else answers: nothing drives MISO. Check that the chip has power and that CS is wired to the chip select {board.Name} uses.");
    }

    private static DoctorStep Interrupt(InterruptLineResponse response, Board board) => response switch
    {
        InterruptLineResponse.Toggles => DoctorStep.Pass(InterruptStep),
        InterruptLineResponse.NeverAsserted => DoctorStep.Fail(InterruptStep, $"stayed high while the chip raised an interrupt: check the wire from INT to {board.InterruptName}."),
        _ => DoctorStep.Fail(InterruptStep, $"is low with no interrupt raised: {board.InterruptName} is held low or is not the pin INT is wired to."),
    };

    /// <summary>The driver, initialised with PHCON1.PLOOPBK, sends one frame to itself and must read it back unchanged.</summary>
    private static async Task<DoctorStep> LoopbackAsync(Board board, MacAddress? macAddress, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        Enc28j60 driver;
        try
        {
            driver = board.TakeDriver(new Enc28j60Options { MacAddress = macAddress, PhyLoopback = true, BusName = board.Name }, loggers.CreateLogger<Enc28j60>());
        }
        catch (IOException e)
        {
            return DoctorStep.Fail(LoopbackStep, $"the driver could not start: {DeviceStartException.OneLine(e.Message)}");
        }
        using (driver)
        {
            byte[] frame = LoopbackFrame(driver.MacAddress);
            if (!driver.TryTransmit(frame))
                return DoctorStep.Fail(LoopbackStep, "the chip did not take the frame to send.");
            var received = new byte[driver.MaxFrameSize];
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (waited.Elapsed < LoopbackPatience)
            {
                if (driver.TryReceive(received, out int length))
                {
                    return received.AsSpan(0, length).SequenceEqual(frame) ? DoctorStep.Pass(LoopbackStep, $"{frame.Length} bytes sent and read back intact")
                        : DoctorStep.Fail(LoopbackStep, $"a {length}-byte frame came back, but not the one sent: the buffer memory or the SPI transfers of long frames corrupt data; lower --spi-hz or shorten the wires.");
                }
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
            return DoctorStep.Fail(LoopbackStep, $"the frame sent did not come back within {LoopbackPatience.TotalSeconds} s: the chip's transmit or receive logic does not work.");
        }
    }

    /// <summary>To the chip's own address, EtherType 88B5h (IEEE 802 local experimental), a counting payload.</summary>
    private static byte[] LoopbackFrame(MacAddress address)
    {
        var frame = new byte[300];
        address.Write(frame);
        address.Write(frame.AsSpan(MacAddress.Length));
        frame[12] = 0x88;
        frame[13] = 0xB5;
        for (int i = 14; i < frame.Length; i++)
            frame[i] = (byte)i;
        return frame;
    }

    private static string RevisionName(byte revision) => revision switch
    {
        0x02 => "revision B1 (02h)",
        0x04 => "revision B4 (04h)",
        0x05 => "revision B5 (05h)",
        0x06 => "revision B7 (06h)",
        _ => $"unknown revision {revision:X2}h",
    };

    /// <summary>The bus and lines the checks run on, and what owns them until the loopback driver takes them over.</summary>
    private sealed class Board : IDisposable
    {
        private readonly List<IDisposable> _owned;
        private bool _handedOver;

        private Board(ISpiBus spi, IDigitalLine? interrupt, IDigitalLine? reset, string name, string interruptName, string resetName, List<IDisposable> owned)
        {
            Spi = spi;
            Interrupt = interrupt;
            Reset = reset;
            Name = name;
            InterruptName = interruptName;
            ResetName = resetName;
            _owned = owned;
        }

        public ISpiBus Spi { get; }

        public IDigitalLine? Interrupt { get; }

        public IDigitalLine? Reset { get; }

        public string Name { get; }

        public string InterruptName { get; }

        public string ResetName { get; }

        public static Board? Open(DeviceOptions options, Enc28j60NicOptions wiring, out DoctorStep step)
        {
            if (options.ChipEmulator)
            {
                Enc28j60Emulator chip = Enc28j60NicKind.CreateEmulator(wiring.EmulatorFault);
                step = DoctorStep.Pass(SpiStep, "the emulated ENC28J60 (--chip-emulator)");
                return new Board(chip, chip.InterruptLine, chip.ResetLine, "the emulated bus", "the emulated INT wire", "the emulated RESET wire", []);
            }
            SpidevOptions spi = wiring.Spi;
            if (!File.Exists(spi.Path))
            {
                step = DoctorStep.Fail(SpiStep, $"{spi.Path} does not exist: enable SPI (dtparam=spi=on in /boot/firmware/config.txt, then reboot) or give the --spi-bus and --spi-cs of an existing /dev/spidevB.C.");
                return null;
            }
            var owned = new List<IDisposable>();
            try
            {
                var device = SpiDevice.Create(new SpiConnectionSettings(spi.Bus, spi.ChipSelect) { ClockFrequency = spi.ClockFrequency, Mode = Enc28j60.SpiMode });
                var bus = new SpiDeviceBus(device);
                owned.Add(bus);
                IDigitalLine? interrupt = null, reset = null;
                if (wiring.InterruptPin >= 0 || wiring.ResetPin >= 0)
                {
                    var controller = new GpioController();
                    owned.Add(controller);
                    if (wiring.InterruptPin >= 0)
                        owned.Add(interrupt = GpioLine.Input(controller, wiring.InterruptPin, PinMode.InputPullUp));
                    if (wiring.ResetPin >= 0)
                        owned.Add(reset = GpioLine.Output(controller, wiring.ResetPin, initialHigh: true));
                }
                string name = $"SPI bus {spi.Bus}, chip select {spi.ChipSelect}";
                step = DoctorStep.Pass(SpiStep, $"{spi.Path} at {spi.ClockFrequency} Hz");
                return new Board(bus, interrupt, reset, name, $"GPIO {wiring.InterruptPin} (--int-pin)", $"GPIO {wiring.ResetPin} (--reset-pin)", owned);
            }
            catch (Exception e) when (DeviceStartException.IsOpenFailure(e))
            {
                foreach (IDisposable opened in Enumerable.Reverse(owned))
                    opened.Dispose();
                step = DoctorStep.Fail(SpiStep, $"cannot open {spi.Path} or the pins: {DeviceStartException.OneLine(e.Message)}");
                return null;
            }
        }

        /// <summary>A driver on the board's bus and lines, which from now on owns them.</summary>
        public Enc28j60 TakeDriver(Enc28j60Options options, ILogger<Enc28j60> logger)
        {
            _handedOver = true;
            return new Enc28j60(Spi, Interrupt, Reset, options, logger);
        }

        public void Dispose()
        {
            if (_handedOver)
                return;
            foreach (IDisposable opened in Enumerable.Reverse(_owned))
                opened.Dispose();
        }
    }
}
