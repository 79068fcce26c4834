using System.Device.Gpio;
using Seqs.Hal;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// The three gSPI lines (CLK, shared DATA, CS) as a GpioDriver, with a full-duplex chip model behind them: bits the
/// host clocks out while it drives DATA (sampled on CLK's rising edge) are collected; when the host turns DATA
/// into an input, the frame so far goes to the chip, and its answer is presented one bit per rising edge. CS high
/// ends the frame. Checks the host's timing rules: DATA changes only while CLK is low, CLK idles low.
/// </summary>
internal sealed class GspiLineSimulator(ISpiBus chip, int clockPin, int dataPin, int chipSelectPin) : GpioDriver
{
    /// <summary>The longest answer: a 2048-byte read, the F1 response delay and the status word.</summary>
    private const int MaxAnswer = 2048 + 16;

    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _levels = [];
    private readonly List<byte> _sent = [];
    private byte[] _answer = [];
    private int _sentBits;
    private int _answerBit;
    private bool _selected;
    private bool _answering;

    public int Frames { get; private set; }

    public List<string> Violations { get; } = [];

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber) => _modes[pinNumber] = PinMode.Input;

    protected override void ClosePin(int pinNumber) => _modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        _modes[pinNumber] = mode;
        if (pinNumber == dataPin && mode == PinMode.Input && _selected && !_answering)
            StartAnswer();
    }

    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber];

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        if (pinNumber != dataPin || !_answering)
            return _levels.GetValueOrDefault(pinNumber, PinValue.Low);
        int bit = _answerBit - 1;
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
        if (pinNumber == chipSelectPin)
            OnChipSelect(value == PinValue.Low);
        else if (pinNumber == dataPin && _levels.GetValueOrDefault(clockPin, PinValue.Low) == PinValue.High && previous != value)
            Violations.Add("DATA changed while CLK was high");
        else if (pinNumber == clockPin && value == PinValue.High && previous == PinValue.Low && _selected)
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
        if (selected && _levels.GetValueOrDefault(clockPin, PinValue.Low) != PinValue.Low)
            Violations.Add("CS fell with CLK high: mode 0 idles low");
        if (selected)
        {
            _sent.Clear();
            _sentBits = 0;
            _answering = false;
        }
        else if (_selected && !_answering)
        {
            Violations.Add("a frame ended without the chip's answer (every transaction reads at least the status word)");
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
        if (_levels.GetValueOrDefault(dataPin, PinValue.Low) == PinValue.High)
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
        chip.Exchange(wire, received);
        _answer = received[_sent.Count..];
        _answerBit = 0;
        _answering = true;
    }
}
