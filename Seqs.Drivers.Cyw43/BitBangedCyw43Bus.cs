#if NET8_0_OR_GREATER
using System.Device.Gpio;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// gSPI bit-banged over <see cref="GpioController"/> pins, on one shared data line: the slow universal fallback for
/// hosts without a 3-wire SPI controller. Mode 0, most significant bit first: the host sets the data line while the
/// clock is low and raises the clock, at which the chip samples it. To read, the host releases the line (input) and
/// samples it while the clock is still low, then raises the clock: in HIGH_SPEED mode, which the driver's bus
/// configuration sets, the chip changes its output on the rising edge, so a read after the rising edge would see the
/// next bit (soypat/cyw43439's bit-banged bus, which ran on Pico Ws, reads before raising CLK). Each bit costs a few
/// GpioController calls, so the clock is far below the chip's limit (see the README); the driver's timeouts are
/// generous enough for that. The transport opens the pins and closes them, and disposes the controller when it
/// created it or <c>shouldDispose</c> is true.
/// </summary>
public sealed class BitBangedCyw43Bus : Cyw43Bus
{
    private readonly GpioController _gpio;
    private readonly bool _ownsController;
    private readonly int _clock;
    private readonly int _data;
    private readonly int _chipSelect;
    private bool _driving = true;

    /// <param name="clockPin">gSPI CLK, an output.</param>
    /// <param name="dataPin">The shared data line: an output while the host sends, an input while the chip answers.</param>
    /// <param name="chipSelectPin">gSPI CS, active low.</param>
    public BitBangedCyw43Bus(int clockPin, int dataPin, int chipSelectPin, GpioController? gpioController = null, bool shouldDispose = true)
    {
        if (clockPin < 0 || dataPin < 0 || chipSelectPin < 0 || clockPin == dataPin || dataPin == chipSelectPin || clockPin == chipSelectPin)
            throw new ArgumentException("The clock, data and chip-select pins must be three different GPIO numbers.");
        _gpio = gpioController ?? new GpioController();
        _ownsController = gpioController is null || shouldDispose;
        _clock = clockPin;
        _data = dataPin;
        _chipSelect = chipSelectPin;
        _gpio.OpenPin(_chipSelect, PinMode.Output, PinValue.High);
        _gpio.OpenPin(_clock, PinMode.Output, PinValue.Low);
        _gpio.OpenPin(_data, PinMode.Output, PinValue.Low);
    }

    /// <summary>0: there is no fixed clock; the bit rate is whatever the GPIO calls allow.</summary>
    public override int ClockFrequency => 0;

    public override uint CommandWrite(ReadOnlySpan<uint> words)
    {
        CheckWrite(words);
        Select();
        foreach (uint word in words)
            Send(word);
        uint status = Receive();
        Deselect();
        return status;
    }

    public override uint CommandRead(uint command, Span<uint> response)
    {
        CheckRead(response);
        Select();
        Send(command);
        for (int i = 0; i < response.Length; i++)
            response[i] = Receive();
        uint status = Receive();
        Deselect();
        return status;
    }

    /// <summary>Drives the data line low, so the chip's DATA2 strap selects gSPI when WL_REG_ON rises.</summary>
    public override void PrepareForPowerUp()
    {
        Drive(true);
        _gpio.Write(_data, PinValue.Low);
    }

    public override string ToString() => $"bit-banged gSPI (CLK GPIO {_clock}, DATA GPIO {_data}, CS GPIO {_chipSelect})";

    protected override void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        if (_ownsController)
        {
            _gpio.Dispose();
            return;
        }
        _gpio.ClosePin(_chipSelect);
        _gpio.ClosePin(_clock);
        _gpio.ClosePin(_data);
    }

    private void Select()
    {
        Drive(true);
        _gpio.Write(_clock, PinValue.Low);
        _gpio.Write(_chipSelect, PinValue.Low);
    }

    private void Deselect()
    {
        _gpio.Write(_chipSelect, PinValue.High);
        Drive(true);
    }

    private void Send(uint word)
    {
        Drive(true);
        for (int bit = 31; bit >= 0; bit--)
        {
            _gpio.Write(_data, (word >> bit & 1) != 0 ? PinValue.High : PinValue.Low);
            _gpio.Write(_clock, PinValue.High);
            _gpio.Write(_clock, PinValue.Low);
        }
    }

    private uint Receive()
    {
        Drive(false);
        uint word = 0;
        for (int bit = 0; bit < 32; bit++)
        {
            word = word << 1 | (_gpio.Read(_data) == PinValue.High ? 1u : 0u);
            _gpio.Write(_clock, PinValue.High);
            _gpio.Write(_clock, PinValue.Low);
        }
        return word;
    }

    /// <summary>Turns the shared line around: an output while the host drives it, an input while the chip does.</summary>
    private void Drive(bool host)
    {
        if (_driving == host)
            return;
        _gpio.SetPinMode(_data, host ? PinMode.Output : PinMode.Input);
        _driving = host;
    }
}
#endif
