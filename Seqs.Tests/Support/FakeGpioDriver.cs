using System.Device.Gpio;

namespace Seqs.Tests.Support;

/// <summary>
/// An in-memory GpioDriver: records every level written, and lets a test drive an input pin, firing the
/// registered edge callbacks synchronously as the libgpiod driver does from its event thread.
/// </summary>
internal sealed class FakeGpioDriver : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _levels = [];
    private readonly List<(int Pin, PinEventTypes Types, PinChangeEventHandler Callback)> _callbacks = [];

    public List<(int Pin, PinValue Level)> Writes { get; } = [];

    public bool IsDisposed { get; private set; }

    public int CallbackCount(int pin) => _callbacks.Count(c => c.Pin == pin);

    public bool IsOpen(int pin) => _modes.ContainsKey(pin);

    public PinMode ModeOf(int pin) => _modes[pin];

    /// <summary>Sets an input's level as the outside world would, raising the matching edge if it changed.</summary>
    public void DriveInput(int pin, PinValue level)
    {
        PinValue previous = _levels.GetValueOrDefault(pin, PinValue.Low);
        _levels[pin] = level;
        if (previous == level)
            return;
        PinEventTypes edge = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        foreach (var (callbackPin, types, callback) in _callbacks.ToArray())
        {
            if (callbackPin == pin && (types & edge) != 0)
                callback(this, new PinValueChangedEventArgs(edge, pin));
        }
    }

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber) => _modes[pinNumber] = PinMode.Input;

    protected override void ClosePin(int pinNumber) => _modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode) => _modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber];

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => _levels.GetValueOrDefault(pinNumber, PinValue.Low);

    protected override void Write(int pinNumber, PinValue value)
    {
        Writes.Add((pinNumber, value));
        _levels[pinNumber] = value;
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Tests drive edges through DriveInput.");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        _callbacks.Add((pinNumber, eventTypes, callback));

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        _callbacks.RemoveAll(c => c.Pin == pinNumber && c.Callback == callback);

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
