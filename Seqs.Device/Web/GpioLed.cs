using System.Device.Gpio;

namespace Seqs.Device.Web;

/// <summary>An LED on a GPIO output (<c>--led-pin</c>), high for on, through System.Device.Gpio.</summary>
internal sealed class GpioLed : ILed
{
    private readonly GpioController _controller;
    private readonly int _pin;

    private GpioLed(GpioController controller, int pin)
    {
        _controller = controller;
        _pin = pin;
    }

    public string Description => $"GPIO {_pin}";

    public bool IsOn { get; private set; }

    /// <exception cref="DeviceStartException">The pin cannot be opened as an output.</exception>
    public static GpioLed Open(int pin)
    {
        GpioController? controller = null;
        try
        {
            controller = new GpioController();
            controller.OpenPin(pin, PinMode.Output, PinValue.Low);
            return new GpioLed(controller, pin);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException or InvalidOperationException or ArgumentException)
        {
            controller?.Dispose();
            throw new DeviceStartException($"Cannot drive the LED on GPIO {pin}: the GPIO driver refused the pin (no GPIO chip here, the pin taken or out of range, or no permission for /dev/gpiochip*); give the --led-pin of a free GPIO, or drop it for a simulated LED.", e);
        }
    }

    public void Switch(bool on)
    {
        _controller.Write(_pin, on ? PinValue.High : PinValue.Low);
        IsOn = on;
    }

    public void Dispose() => _controller.Dispose();
}
