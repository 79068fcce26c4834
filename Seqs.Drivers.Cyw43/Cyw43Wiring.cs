#if NET8_0_OR_GREATER
using System.Device.Gpio;
using Seqs.Hal;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// What the bindings-style constructor builds from pin numbers: WL_REG_ON as an output (low: the chip stays off
/// until the boot), the host-wake interrupt as an input, and the controller the driver must dispose (if any).
/// </summary>
internal sealed class Cyw43Wiring
{
    private Cyw43Wiring(Cyw43Bus bus, IDigitalLine powerOn, IDigitalLine? hostWake, GpioController? ownedController)
    {
        Bus = bus;
        PowerOn = powerOn;
        HostWake = hostWake;
        OwnedController = ownedController;
    }

    public Cyw43Bus Bus { get; }

    public IDigitalLine PowerOn { get; }

    public IDigitalLine? HostWake { get; }

    public GpioController? OwnedController { get; }

    /// <summary>Checks <paramref name="options"/> first, so that bad options open nothing.</summary>
    public static Cyw43Wiring Open(Cyw43Bus bus, int powerOnPin, int hostWakePin, GpioController? gpioController, bool shouldDispose, Cyw43Options? options)
    {
        ArgumentNullException.ThrowIfNull(bus);
        (options ?? new Cyw43Options()).Validate();
        if (powerOnPin < 0)
            throw new ArgumentOutOfRangeException(nameof(powerOnPin), powerOnPin, "WL_REG_ON needs a GPIO: the driver power-cycles the chip to boot it.");
        GpioController controller = gpioController ?? new GpioController();
        bool ownsController = gpioController is null || shouldDispose;
        IDigitalLine? powerOn = null;
        try
        {
            powerOn = GpioLine.Output(controller, powerOnPin, initialHigh: false);
            IDigitalLine? hostWake = hostWakePin >= 0 ? GpioLine.Input(controller, hostWakePin, PinMode.Input) : null;
            return new Cyw43Wiring(bus, powerOn, hostWake, ownsController ? controller : null);
        }
        catch
        {
            powerOn?.Dispose();
            if (ownsController)
                controller.Dispose();
            bus.Dispose();
            throw;
        }
    }
}
#endif
