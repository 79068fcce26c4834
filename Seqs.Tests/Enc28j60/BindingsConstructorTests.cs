using System.Device.Gpio;
using System.Device.Spi;
using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;

namespace Seqs.Tests.Enc28j60;

/// <summary>The Iot.Device.Bindings-style constructor over SpiDevice and GpioController pin numbers.</summary>
public sealed class BindingsConstructorTests
{
    private static SpiConnectionSettings Settings() => new(0, 1)
    {
        ClockFrequency = Drivers.Enc28j60.Enc28j60.SpiClockFrequency,
        Mode = Drivers.Enc28j60.Enc28j60.SpiMode,
    };

    [Test]
    public void Driver_OpensItsPins_AndDisposesTheDeviceAndTheControllerItWasGiven()
    {
        var chip = new Enc28j60Emulator();
        var device = new EmulatorSpiDevice(chip, Settings());
        var gpio = new FakeGpioDriver();
        gpio.DriveInput(25, PinValue.High);
        var controller = new GpioController(gpio);

        var driver = new Drivers.Enc28j60.Enc28j60(device, interruptPin: 25, resetPin: 24, controller, options: new Enc28j60Options { RandomSeed = 1 });

        Assert.That(gpio.IsOpen(25) && gpio.IsOpen(24), Is.True);
        Assert.That(gpio.ModeOf(24), Is.EqualTo(PinMode.Output));
        Assert.That(gpio.Writes, Does.Contain((24, PinValue.Low)), "RESET pulsed");
        driver.Dispose();
        Assert.That(device.IsDisposed, Is.True);
        Assert.That(gpio.IsDisposed, Is.True);
    }

    [Test]
    public void SharedController_IsNotDisposed_WhenShouldDisposeIsFalse()
    {
        var chip = new Enc28j60Emulator();
        var gpio = new FakeGpioDriver();
        var controller = new GpioController(gpio);

        var driver = new Drivers.Enc28j60.Enc28j60(new EmulatorSpiDevice(chip, Settings()), resetPin: 24, gpioController: controller, shouldDispose: false);
        driver.Dispose();

        Assert.That(gpio.IsDisposed, Is.False);
        Assert.That(gpio.IsOpen(24), Is.False, "its own pin is closed");
    }

    [Test]
    public void MissingChip_ErrorNamesTheSpiBusAndChipSelect()
    {
        var chip = new Enc28j60Emulator { IsPresent = false };
        var device = new EmulatorSpiDevice(chip, Settings());

        var error = Assert.Throws<ChipNotRespondingException>(() => new Drivers.Enc28j60.Enc28j60(device));

        Assert.That(error!.BusName, Is.EqualTo("SPI bus 0, chip select 1"));
        Assert.That(device.IsDisposed, Is.True);
    }
}
