#if NET8_0_OR_GREATER
using System.Device.Gpio;
using System.Diagnostics.CodeAnalysis;

namespace Seqs.Hal;

/// <summary>
/// <see cref="IDigitalLine"/> over one pin of a System.Device.Gpio <see cref="GpioController"/>. The line opens
/// the pin when created and closes it when disposed; it disposes the controller only when created with
/// <c>shouldDispose: true</c>, so several lines (say a reset output and an interrupt input) can share one controller.
/// </summary>
public sealed class GpioLine : IDigitalLine
{
    private readonly GpioController _controller;
    private readonly int _pin;
    private readonly bool _shouldDispose;
    private readonly PinChangeEventHandler? _edgeCallback;
    private bool _disposed;

    private GpioLine(GpioController controller, int pin, bool isInput, bool shouldDispose)
    {
        _controller = controller;
        _pin = pin;
        _shouldDispose = shouldDispose;
        if (isInput)
            _edgeCallback = OnPinValueChanged;
    }

    /// <inheritdoc/>
    /// <remarks>Raised on the GPIO driver's event thread.</remarks>
    public event EventHandler<bool>? EdgeDetected;

    /// <summary>The pin number in the controller's numbering scheme.</summary>
    public int Pin => _pin;

    /// <summary>
    /// Opens <paramref name="pin"/> as an output at <paramref name="initialHigh"/>, passing the level with the mode so
    /// that drivers able to (libgpiod) never drive the other level first.
    /// </summary>
    /// <param name="shouldDispose">Whether disposing the line also disposes <paramref name="controller"/>.</param>
    public static GpioLine Output(GpioController controller, int pin, bool initialHigh, bool shouldDispose = false)
    {
        ArgumentNullException.ThrowIfNull(controller);
        controller.OpenPin(pin, PinMode.Output, initialHigh ? PinValue.High : PinValue.Low);
        return new GpioLine(controller, pin, isInput: false, shouldDispose);
    }

    /// <summary>
    /// Opens <paramref name="pin"/> as an input (<see cref="PinMode.Input"/>, <see cref="PinMode.InputPullUp"/> or
    /// <see cref="PinMode.InputPullDown"/>) and raises <see cref="EdgeDetected"/> on both edges.
    /// </summary>
    /// <param name="shouldDispose">Whether disposing the line also disposes <paramref name="controller"/>.</param>
    public static GpioLine Input(GpioController controller, int pin, PinMode mode = PinMode.Input, bool shouldDispose = false)
    {
        ArgumentNullException.ThrowIfNull(controller);
        if (mode is not (PinMode.Input or PinMode.InputPullUp or PinMode.InputPullDown))
            ThrowNotAnInputMode(mode);
        controller.OpenPin(pin, mode);
        var line = new GpioLine(controller, pin, isInput: true, shouldDispose);
        try
        {
            controller.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Rising | PinEventTypes.Falling, line._edgeCallback!);
        }
        catch
        {
            controller.ClosePin(pin);
            throw;
        }
        return line;
    }

    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _controller.Read(_pin) == PinValue.High;
    }

    public void Write(bool high)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsInput)
            ThrowWriteToInput(_pin);
        _controller.Write(_pin, high ? PinValue.High : PinValue.Low);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_edgeCallback is not null)
            _controller.UnregisterCallbackForPinValueChangedEvent(_pin, _edgeCallback);
        if (_controller.IsPinOpen(_pin))
            _controller.ClosePin(_pin);
        if (_shouldDispose)
            _controller.Dispose();
    }

    private bool IsInput => _edgeCallback is not null;

    private void OnPinValueChanged(object sender, PinValueChangedEventArgs args) =>
        EdgeDetected?.Invoke(this, args.ChangeType == PinEventTypes.Rising);

    [DoesNotReturn]
    private static void ThrowNotAnInputMode(PinMode mode) =>
        throw new ArgumentOutOfRangeException(nameof(mode), mode, "An input line needs an input pin mode.");

    [DoesNotReturn]
    private static void ThrowWriteToInput(int pin) =>
        throw new InvalidOperationException($"GPIO {pin} is an input line and cannot be driven.");
}
#endif
