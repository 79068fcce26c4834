#if NET8_0_OR_GREATER
using System.Device.Gpio;
using System.Device.Spi;
using Seqs.Hal;

namespace Seqs.Drivers.Enc28j60;

/// <summary>
/// What the bindings-style constructor builds from a <see cref="SpiDevice"/> and pin numbers: the HAL bus and lines,
/// the controller the driver must dispose (if any), and options naming the bus.
/// </summary>
internal sealed class DeviceWiring
{
    private DeviceWiring(ISpiBus bus, IDigitalLine? interrupt, IDigitalLine? reset, GpioController? ownedController, Enc28j60Options options)
    {
        Bus = bus;
        Interrupt = interrupt;
        Reset = reset;
        OwnedController = ownedController;
        Options = options;
    }

    public ISpiBus Bus { get; }

    public IDigitalLine? Interrupt { get; }

    public IDigitalLine? Reset { get; }

    public GpioController? OwnedController { get; }

    public Enc28j60Options Options { get; }

    public static DeviceWiring Open(SpiDevice spiDevice, int interruptPin, int resetPin, GpioController? gpioController, bool shouldDispose, Enc28j60Options? options)
    {
        ArgumentNullException.ThrowIfNull(spiDevice);
        SpiConnectionSettings settings = spiDevice.ConnectionSettings;
        string busName = $"SPI bus {settings.BusId}, chip select {settings.ChipSelectLine}";
        // Datasheet §4.1: SPI mode 0,0 only, most significant bit first.
        if (settings.Mode != Enc28j60.SpiMode || settings.DataFlow != DataFlow.MsbFirst)
        {
            spiDevice.Dispose();
            throw new ArgumentException($"The ENC28J60 on {busName} speaks SPI mode 0, most significant bit first (DS39662E §4.1); the device is opened in {settings.Mode}, {settings.DataFlow}.", nameof(spiDevice));
        }
        options ??= new Enc28j60Options();
        if (options.BusName is null)
            options = options with { BusName = busName };
        bool needsGpio = interruptPin >= 0 || resetPin >= 0;
        GpioController? controller = gpioController ?? (needsGpio ? new GpioController() : null);
        bool ownsController = controller is not null && (gpioController is null || shouldDispose);
        IDigitalLine? reset = null;
        IDigitalLine? interrupt = null;
        try
        {
            if (resetPin >= 0)
                reset = GpioLine.Output(controller!, resetPin, initialHigh: true);
            if (interruptPin >= 0)
                interrupt = GpioLine.Input(controller!, interruptPin, PinMode.InputPullUp);
        }
        catch
        {
            reset?.Dispose();
            if (ownsController)
                controller!.Dispose();
            spiDevice.Dispose();
            throw;
        }
        return new DeviceWiring(new SpiDeviceBus(spiDevice), interrupt, reset, ownsController ? controller : null, options);
    }
}
#endif
