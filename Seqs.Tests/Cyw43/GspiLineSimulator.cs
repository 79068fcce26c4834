using System.Device.Gpio;
using Seqs.Drivers.Cyw43.Emulation;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// The three gSPI lines (CLK, shared DATA, CS) as a GpioDriver, with the chip's emulator behind them: bits the host
/// clocks out while it drives DATA (sampled on CLK's rising edge) are collected; when the host turns DATA into an
/// input, the frame so far goes to the chip, and its answer comes one bit per clock. When the chip changes its
/// output follows BUS_CONTROL, as the references describe the silicon (embassy spi.rs; pico-sdk cyw43_bus_pio_spi.c;
/// docs/reference/cyw43439.md#f0-registers): without HIGH_SPEED on the falling edge, so a bit is on the line from the
/// falling edge before its rising edge to the one after; with HIGH_SPEED on the rising edge, so a host that reads DATA
/// after raising CLK gets the next bit. CS high ends the frame. The level of DATA when WL_REG_ON rises is the chip's
/// DATA2 strap. Checks the host's timing rules: DATA changes only while CLK is low, CLK idles low.
/// </summary>
internal sealed class GspiLineSimulator : GpioDriver
{
    /// <summary>The longest answer: a 2048-byte read, the F1 response delay and the status word.</summary>
    private const int MaxAnswer = 2048 + 16;

    private readonly Cyw43Emulator _chip;
    private readonly int _clockPin;
    private readonly int _dataPin;
    private readonly int _chipSelectPin;
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _levels = [];
    private readonly List<byte> _sent = [];
    private byte[] _answer = [];
    private int _sentBits;
    private int _answerBit;
    private bool _selected;
    private bool _answering;

    public GspiLineSimulator(Cyw43Emulator chip, int clockPin, int dataPin, int chipSelectPin)
    {
        _chip = chip;
        _clockPin = clockPin;
        _dataPin = dataPin;
        _chipSelectPin = chipSelectPin;
        chip.DataLineAtPowerUp = () => _levels.GetValueOrDefault(_dataPin, PinValue.Low) == PinValue.High;
    }

    public int Frames { get; private set; }

    public List<string> Violations { get; } = [];

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber) => _modes[pinNumber] = PinMode.Input;

    protected override void ClosePin(int pinNumber) => _modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        _modes[pinNumber] = mode;
        if (pinNumber == _dataPin && mode == PinMode.Input && _selected && !_answering)
            StartAnswer();
    }

    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber];

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        if (pinNumber != _dataPin || !_answering)
            return _levels.GetValueOrDefault(pinNumber, PinValue.Low);
        bool clockHigh = _levels.GetValueOrDefault(_clockPin, PinValue.Low) == PinValue.High;
        int bit = clockHigh && !_chip.IsHighSpeed ? _answerBit - 1 : _answerBit;
        if (bit < 0 || bit >= _answer.Length * 8)
        {
            Violations.Add("DATA read outside a clocked answer bit");
            return PinValue.Low;
        }
        return (_answer[bit / 8] >> (7 - bit % 8) & 1) != 0 ? PinValue.High : PinValue.Low;
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        PinValue previous = _levels.GetValueOrDefault(pinNumber, PinValue.Low);
        _levels[pinNumber] = value;
        if (pinNumber == _chipSelectPin)
            OnChipSelect(value == PinValue.Low);
        else if (pinNumber == _dataPin && _levels.GetValueOrDefault(_clockPin, PinValue.Low) == PinValue.High && previous != value)
            Violations.Add("DATA changed while CLK was high");
        else if (pinNumber == _clockPin && value == PinValue.High && previous == PinValue.Low && _selected)
            OnRisingClock();
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException();

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException();

    private void OnChipSelect(bool selected)
    {
        if (selected && _levels.GetValueOrDefault(_clockPin, PinValue.Low) != PinValue.Low)
            Violations.Add("CS fell with CLK high: mode 0 idles low");
        if (selected)
        {
            _sent.Clear();
            _sentBits = 0;
            _answering = false;
        }
        else if (_selected && !_answering)
        {
            Violations.Add("a frame ended without the _chip's answer (every transaction reads at least the status word)");
        }
        _selected = selected;
    }

    private void OnRisingClock()
    {
        if (_answering)
        {
            _answerBit++;
            return;
        }
        if (_sentBits % 8 == 0)
            _sent.Add(0);
        if (_levels.GetValueOrDefault(_dataPin, PinValue.Low) == PinValue.High)
            _sent[^1] |= (byte)(0x80 >> (_sentBits % 8));
        _sentBits++;
    }

    private void StartAnswer()
    {
        if (_sentBits % 32 != 0)
            Violations.Add($"the host turned the line around after {_sentBits} bits, not whole words");
        Frames++;
        var wire = new byte[_sent.Count + MaxAnswer];
        _sent.CopyTo(wire);
        var received = new byte[wire.Length];
        _chip.Exchange(wire, received);
        _answer = received[_sent.Count..];
        _answerBit = 0;
        _answering = true;
    }
}
