using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Diagnostics;
using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Packets;
using Seqs.Hal;
using Seqs.Wire;
#if NET8_0_OR_GREATER
using System.Device.Gpio;
using System.Device.Spi;
#endif

namespace Seqs.Drivers.Enc28j60;

/// <summary>
/// Microchip ENC28J60 10BASE-T Ethernet controller on SPI (datasheet DS39662E, silicon errata DS80349C), as an
/// <see cref="IEthernetNic"/>. Every operation is one chip-select frame on the <see cref="ISpiBus"/>; a frame is
/// read or written in one bulk exchange. Construction resets and initialises the chip. The driver owns the bus and
/// the lines it is given and disposes them. All members but <see cref="ArmWakeUp"/> belong to the loop's thread.
/// </summary>
public sealed partial class Enc28j60 : IEthernetNic, IDisposable
{
    /// <summary>
    /// The clock to open the bus with: 12 MHz, what the Raspberry Pi's own enc28j60 device-tree overlay uses (signal
    /// integrity on jumper wires); the chip takes up to <see cref="MaxSpiClockFrequency"/>.
    /// </summary>
    public const int SpiClockFrequency = 12_000_000;

    /// <summary>Datasheet §4.1: SPI up to 20 MHz, mode 0,0 only.</summary>
    public const int MaxSpiClockFrequency = 20_000_000;

    /// <summary>Errata DS80349C #1: revisions B1 and B4 need at least 8 MHz, or MAC and MII reads fail.</summary>
    public const int MinimumSpiClockFrequencyB1B4 = 8_000_000;

#if NET8_0_OR_GREATER
    /// <summary>Datasheet §4.1: data is clocked in on the rising edge and out on the falling edge of SCK (mode 0,0).</summary>
    public const SpiMode SpiMode = System.Device.Spi.SpiMode.Mode0;
#endif

    /// <summary>Standard Ethernet without FCS: MAMXFL is set to 1518 with the CRC.</summary>
    public const int StandardMaxFrameSize = 1514;

    private const int MaxReceivedByteCount = StandardMaxFrameSize + 4;

    private readonly Enc28j60Bus _bus;
    private readonly IDigitalLine? _interrupt;
    private readonly IDigitalLine? _reset;
    private readonly IDisposable? _ownedController;
    private readonly Enc28j60Options _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private LogGate _receiveResetLog;
    private LogGate _transmitStallLog;
    private readonly ITimer _wakeTimer;
    private readonly EventHandler<bool>? _onEdge;
    private Action? _wakeUp;
    private volatile bool _linkUp;
    private bool _powerSave;
    private bool _disposed;

    /// <param name="spi">The bus with the chip's CS; mode 0, at most <see cref="MaxSpiClockFrequency"/>.</param>
    /// <param name="interrupt">The INT pin (active low), or null to poll.</param>
    /// <param name="reset">The RESET pin (active low), or null to use the SPI reset command only.</param>
    /// <exception cref="ChipNotRespondingException">No chip answered on <paramref name="spi"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The bus clock is not positive, above <see cref="MaxSpiClockFrequency"/>, or under
    /// <see cref="MinimumSpiClockFrequencyB1B4"/> on a B1 or B4 chip.
    /// </exception>
    public Enc28j60(ISpiBus spi, IDigitalLine? interrupt = null, IDigitalLine? reset = null, Enc28j60Options? options = null, ILogger<Enc28j60>? logger = null)
        : this(spi, interrupt, reset, ownedController: null, options, logger)
    {
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// The Iot.Device.Bindings shape: the driver takes <paramref name="spiDevice"/> (open it with
    /// <see cref="SpiClockFrequency"/> and <see cref="SpiMode"/>) and disposes it; it opens the pins on
    /// <paramref name="gpioController"/>, creating one when null, and disposes the controller when it created it or
    /// <paramref name="shouldDispose"/> is true.
    /// </summary>
    /// <param name="interruptPin">GPIO of INT, or -1 to poll.</param>
    /// <param name="resetPin">GPIO of RESET, or -1.</param>
    public Enc28j60(SpiDevice spiDevice, int interruptPin = -1, int resetPin = -1, GpioController? gpioController = null,
        bool shouldDispose = true, Enc28j60Options? options = null, ILogger<Enc28j60>? logger = null)
        : this(DeviceWiring.Open(spiDevice, interruptPin, resetPin, gpioController, shouldDispose, options), logger)
    {
    }

    private Enc28j60(DeviceWiring parts, ILogger<Enc28j60>? logger)
        : this(parts.Bus, parts.Interrupt, parts.Reset, parts.OwnedController, parts.Options, logger)
    {
    }
#endif

    private Enc28j60(ISpiBus spi, IDigitalLine? interrupt, IDigitalLine? reset, IDisposable? ownedController, Enc28j60Options? options, ILogger? logger)
    {
        if (spi is null)
            throw new ArgumentNullException(nameof(spi));
        _interrupt = interrupt;
        _reset = reset;
        _ownedController = ownedController;
        _options = options ?? new Enc28j60Options();
        _options.Validate();
        if (spi.ClockFrequency <= 0)
            throw new ArgumentException($"The SPI clock of {spi.ClockFrequency} Hz is not a clock; open the bus at {SpiClockFrequency} Hz.", nameof(spi));
        if (spi.ClockFrequency > MaxSpiClockFrequency)
            throw new ArgumentException($"The SPI clock of {spi.ClockFrequency} Hz exceeds the ENC28J60's {MaxSpiClockFrequency} Hz (DS39662E §4.1).", nameof(spi));
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = _options.TimeProvider;
        _bus = new Enc28j60Bus(spi, _options.BusName ?? spi.ToString() ?? "the SPI bus", _time);
        MacAddress = _options.MacAddress ?? RandomLocalAddress(_options.RandomSeed);
        _wakeTimer = _time.CreateTimer(static s => ((Enc28j60)s!).FireWakeUp(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (interrupt is not null)
        {
            _onEdge = OnInterruptEdge;
            interrupt.EdgeDetected += _onEdge;
        }
        try
        {
            Initialize();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public event EventHandler? LinkStateChanged;

    public MacAddress MacAddress { get; }

    public int MaxFrameSize => StandardMaxFrameSize;

    public bool IsLinkUp => _linkUp;

    /// <summary>EREVID read at initialisation: 02h B1, 04h B4, 05h B5, 06h B7.</summary>
    public byte Revision { get; private set; }

    public DuplexMode Duplex => _options.Duplex;

    public bool IsPowerSaving => _powerSave;

    public Enc28j60Counters Counters { get; } = new();

    public void ArmWakeUp(Action wakeUp)
    {
        if (wakeUp is null)
            throw new ArgumentNullException(nameof(wakeUp));
        Volatile.Write(ref _wakeUp, wakeUp);
        // After a transmission EPKTCNT is read once more (errata #6: PKTIF, and so INT, may miss a frame).
        if (_pending > 0 || _countAfterTransmit || (_interrupt is not null && !_interrupt.Read()))
        {
            FireWakeUp();
            return;
        }
        // Without INT the idle loop polls; a frame in flight frees the transmit buffer after its wire time; with
        // INT the slow status poll covers errata #6.
        TimeSpan due = _interrupt is null ? _options.PollInterval
            : _transmitBlocked ? WireTime(_inFlightLength)
            : _options.StatusPollInterval;
        _wakeTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_interrupt is not null && _onEdge is not null)
            _interrupt.EdgeDetected -= _onEdge;
        _wakeTimer.Dispose();
        _interrupt?.Dispose();
        _reset?.Dispose();
        _bus.Spi.Dispose();
        _ownedController?.Dispose();
    }

    /// <summary>10BASE-T: 0.8 µs a byte, plus preamble, FCS and the inter-packet gap, rounded up generously.</summary>
    private static TimeSpan WireTime(int frameLength) => TimeSpan.FromTicks((frameLength + 8 + 4 + 12) * 8 + 100 * 10);

    private static MacAddress RandomLocalAddress(int? seed)
    {
        var random = seed is int s ? new Random(s) : new Random();
        Span<byte> bytes = stackalloc byte[MacAddress.Length];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)random.Next(256);
        bytes[0] = (byte)(bytes[0] & 0xFE | 0x02); // IEEE 802-2014 §8.2: unicast, locally administered
        return MacAddress.Read(bytes);
    }

    private void OnInterruptEdge(object? sender, bool high)
    {
        if (!high)
            FireWakeUp();
    }

    private void FireWakeUp() => Interlocked.Exchange(ref _wakeUp, null)?.Invoke();

    private void SetLink(bool up)
    {
        if (_linkUp == up)
            return;
        _linkUp = up;
        Counters.LinkChanges++;
        Log.LinkChanged(_logger, up);
        LinkStateChanged?.Invoke(this, EventArgs.Empty);
        FireWakeUp();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "ENC28J60 rev {Revision:X2}h on {Bus}, {Duplex} duplex, MAC {MacAddress}")]
        public static partial void Initialized(ILogger logger, byte revision, string bus, DuplexMode duplex, MacAddress macAddress);

        [LoggerMessage(2, LogLevel.Information, "ENC28J60 link up: {LinkUp}")]
        public static partial void LinkChanged(ILogger logger, bool linkUp);

        [LoggerMessage(3, LogLevel.Warning, "ENC28J60 receive logic reset: next packet pointer {NextPacket:X4}h, byte count {ByteCount} at {ReadPointer:X4}h{Suppressed}")]
        public static partial void ReceiveReset(ILogger logger, int nextPacket, int byteCount, int readPointer, string suppressed);

        [LoggerMessage(4, LogLevel.Warning, "ENC28J60 transmit logic stalled for {Elapsed}; reset (errata #12), frame lost{Suppressed}")]
        public static partial void TransmitStalled(ILogger logger, TimeSpan elapsed, string suppressed);

        [LoggerMessage(6, LogLevel.Debug, "ENC28J60 receive buffer overflow (RXERIF)")]
        public static partial void ReceiveOverflow(ILogger logger);

        [LoggerMessage(7, LogLevel.Debug, "ENC28J60 transmit error (TXERIF), {Status}")]
        public static partial void TransmitError(ILogger logger, string status);
    }
}
