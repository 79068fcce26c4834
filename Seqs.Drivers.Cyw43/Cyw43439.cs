#if NET8_0_OR_GREATER
using System.Device.Gpio;
#endif
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Diagnostics;
using Seqs.Drivers.Cyw43.Register.Bus;
using Seqs.Hal;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// Infineon CYW43439 Wi-Fi chip (the Raspberry Pi Pico W's) over gSPI. <see cref="InitializeAsync"/> powers the
/// chip up through WL_REG_ON, brings up the gSPI bus, boots the WLAN firmware over the backplane and sets Wi-Fi up
/// (embassy-rs cyw43 runner.rs, bus.rs and control.rs, soypat/cyw43439; collected in <c>docs/reference/cyw43439.md</c>,
/// whose sections this driver's comments cite after the source);
/// <see cref="JoinAsync"/> joins a network, and the driver is then the stack's <see cref="IEthernetNic"/>. The stack's
/// loop and the Wi-Fi calls may run on different threads: one lock guards the bus. The driver owns the bus and the
/// lines it is given and disposes them; disposing also powers the chip off.
/// </summary>
public sealed partial class Cyw43439 : IDisposable
{
    /// <summary>
    /// The default gSPI clock on spidev: 25 MHz, soypat/cyw43439's. The chip takes up to 50 MHz, but a mode-0 host
    /// samples on the rising edge, which is reliable only to about 33 MHz (embassy cyw43-pio <c>PioSpi::new</c> moves
    /// its sample point to the falling edge above 37.5 MHz, which spidev cannot do);
    /// docs/reference/cyw43439.md#clock-and-throughput.
    /// </summary>
    public const int SpiClockFrequency = 25_000_000;

    /// <summary>The fastest clock at which a rising-edge (mode 0) host still samples the chip's output reliably; <see cref="SpidevCyw43Bus"/> refuses more.</summary>
    public const int MaxRisingEdgeClockFrequency = 33_000_000;

    private readonly Cyw43Bus _bus;
    private readonly IDigitalLine _powerOn;
    private readonly IDigitalLine? _hostWake;
    private readonly Cyw43Options _options;
    private readonly TimeProvider _time;
    private LogGate _interruptErrorsLog;
    private LogGate _rejoinLog = new(LogGate.InformationLinesPerMinute);
    private LogGate _rejoinFailedLog;
    private LogGate _linkLostLog;
    private readonly ILogger _logger;
    private readonly string _busName;
    private readonly GspiHost _gspi;
    private readonly Backplane _backplane;
    private readonly ITimer _pollTimer;
    private readonly IDisposable? _ownedController;
    private volatile bool _firmwareRunning;
    private volatile bool _disposed;

    /// <param name="bus">The gSPI transport with the chip's CS.</param>
    /// <param name="powerOn">WL_REG_ON (GPIO 23 on the Pico W): high powers the WLAN part up.</param>
    /// <param name="hostWake">The chip's interrupt output, or null to poll.</param>
    public Cyw43439(Cyw43Bus bus, IDigitalLine powerOn, IDigitalLine? hostWake = null, Cyw43Options? options = null, ILogger<Cyw43439>? logger = null)
        : this(bus, powerOn, hostWake, ownedController: null, options, logger)
    {
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// The Iot.Device.Bindings shape: the driver takes <paramref name="bus"/> (<see cref="SpidevCyw43Bus"/> or
    /// <see cref="BitBangedCyw43Bus"/>) and disposes it; it opens WL_REG_ON and the host-wake line on
    /// <paramref name="gpioController"/>, creating one when null, and disposes the controller when it created it or
    /// <paramref name="shouldDispose"/> is true.
    /// </summary>
    /// <param name="powerOnPin">GPIO of WL_REG_ON.</param>
    /// <param name="hostWakePin">GPIO of the host-wake interrupt (active high), or -1 to poll.</param>
    public Cyw43439(Cyw43Bus bus, int powerOnPin, int hostWakePin = -1, GpioController? gpioController = null, bool shouldDispose = true,
        Cyw43Options? options = null, ILogger<Cyw43439>? logger = null)
        : this(Cyw43Wiring.Open(bus, powerOnPin, hostWakePin, gpioController, shouldDispose, options), options, logger)
    {
    }

    private Cyw43439(Cyw43Wiring wiring, Cyw43Options? options, ILogger<Cyw43439>? logger)
        : this(wiring.Bus, wiring.PowerOn, wiring.HostWake, wiring.OwnedController, options, logger)
    {
    }
#endif

    private Cyw43439(Cyw43Bus bus, IDigitalLine powerOn, IDigitalLine? hostWake, IDisposable? ownedController, Cyw43Options? options, ILogger? logger)
    {
        _ownedController = ownedController;
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _powerOn = powerOn ?? throw new ArgumentNullException(nameof(powerOn));
        _hostWake = hostWake;
        _options = options ?? new Cyw43Options();
        _options.Validate();
        _time = _options.TimeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _busName = _options.BusName ?? bus.ToString() ?? "the gSPI bus";
        _gspi = new GspiHost(bus);
        _backplane = new Backplane(_gspi);
        _pollTimer = _time.CreateTimer(static s => ((Cyw43439)s!).FireWakeUp(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (hostWake is not null)
            hostWake.EdgeDetected += OnHostWakeEdge;
    }

    /// <summary>Whether <see cref="InitializeAsync"/> completed: the firmware runs and F2 accepts frames.</summary>
    public bool IsInitialized { get; private set; }

    /// <summary>The chip ID read from ChipCommon at boot: 0xA9AF (43439); 0 before.</summary>
    public ushort ChipId { get; private set; }

    /// <summary>The last value the handshake read from the test register F0 0x14 (0xFEEDBEAD when the bus works); 0 before.</summary>
    public uint TestPatternRead { get; private set; }

    /// <summary>
    /// Whether <see cref="TestPatternRead"/> is FEEDBEADh one bit off on the wire: the host sampled each bit a clock late
    /// or early (a wrong sample edge or a clock too fast for it), not a broken line.
    /// </summary>
    public bool IsTestPatternShiftedByOneBit => TestPattern.IsShiftedByOneBit(TestPatternRead);

    /// <summary>The status word of the last gSPI transaction.</summary>
    public GspiStatus Status => _gspi.Status;

    /// <summary>gSPI transactions (chip-select frames) since creation.</summary>
    public long Transactions => _gspi.Transactions;

    /// <summary>Backplane window register writes since creation; the window is cached, so few.</summary>
    public long WindowWrites => _backplane.WindowWrites;

    internal GspiHost Gspi => _gspi;

    internal Backplane Backplane => _backplane;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        IsInitialized = false;
        _firmwareRunning = false;
        _lifetime.Cancel();
        _lifetime.Dispose();
        _pollTimer.Dispose();
        if (_hostWake is not null)
            _hostWake.EdgeDetected -= OnHostWakeEdge;
        lock (_busGate)
            _powerOn.Write(false);
        _hostWake?.Dispose();
        _powerOn.Dispose();
        _bus.Dispose();
        _ownedController?.Dispose();
    }

    /// <summary>A new power-up starts the SDPCM sequence and credit afresh (embassy runner.rs: seq 0, max 1).</summary>
    private void ResetSdpcmLocked()
    {
        lock (_busGate)
        {
            _sequence = 0;
            _sequenceLimit = 1;
            _flowControl = 0;
            _held.Clear();
            _awaitedIoctlId = 0;
            _network = null;
            SetLinkLocked(false);
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(Cyw43439));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "CYW43439 boot step {Step} done after {Elapsed}, {Transactions} gSPI transactions")]
        public static partial void StepDone(ILogger logger, BootStep step, TimeSpan elapsed, long transactions);

        [LoggerMessage(2, LogLevel.Information, "CYW43439 chip {ChipId:X4}h on {Bus} up: {FirmwareLength} B firmware, {NvramLength} B NVRAM, {Elapsed}")]
        public static partial void Booted(ILogger logger, ushort chipId, string bus, int firmwareLength, int nvramLength, TimeSpan elapsed);

        [LoggerMessage(3, LogLevel.Warning, "CYW43439 interrupt register shows errors: {Flags}{Suppressed}")]
        public static partial void InterruptErrors(ILogger logger, string flags, string suppressed);

        [LoggerMessage(4, LogLevel.Information, "CYW43439 rejoin of {Ssid} after a link loss: {Result}{Suppressed}")]
        public static partial void Rejoin(ILogger logger, string ssid, WifiJoinResult result, string suppressed);

        [LoggerMessage(5, LogLevel.Warning, "CYW43439 rejoin failed: {Reason}{Suppressed}")]
        public static partial void RejoinFailed(ILogger logger, string reason, string suppressed);

        [LoggerMessage(6, LogLevel.Warning, "CYW43439 link lost: {Event} event, reason {Reason}{Suppressed}")]
        public static partial void LinkLost(ILogger logger, Register.Events.WlanEventType @event, uint reason, string suppressed);
    }
}
