using System.Device.Gpio;
using Seqs.Hal;

namespace Seqs.Tests.Hal;

public sealed class GpioLineTests
{
    private const int ResetPin = 23;
    private const int InterruptPin = 24;

    [Test]
    public void Output_StartsAtItsInitialLevel_ThenFollowsWrites()
    {
        var driver = new FakeGpioDriver();
        using var controller = new GpioController(driver);
        using var reset = GpioLine.Output(controller, ResetPin, initialHigh: true);

        reset.Write(false);
        reset.Write(true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(driver.ModeOf(ResetPin), Is.EqualTo(PinMode.Output));
            Assert.That(driver.Writes, Is.EqualTo(new[] { (ResetPin, PinValue.High), (ResetPin, PinValue.Low), (ResetPin, PinValue.High) }).AsCollection);
            Assert.That(reset.Read(), Is.True);
        }
    }

    [Test]
    public void Input_ReportsEachEdgeFromTheDriver_WithTheNewLevel()
    {
        var driver = new FakeGpioDriver();
        using var controller = new GpioController(driver);
        using var interrupt = GpioLine.Input(controller, InterruptPin, PinMode.InputPullUp);
        var edges = new List<bool>();
        interrupt.EdgeDetected += (sender, rising) =>
        {
            Assert.That(sender, Is.SameAs(interrupt));
            edges.Add(rising);
        };

        driver.DriveInput(InterruptPin, PinValue.High);
        driver.DriveInput(InterruptPin, PinValue.Low);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(driver.ModeOf(InterruptPin), Is.EqualTo(PinMode.InputPullUp));
            Assert.That(edges, Is.EqualTo(new[] { true, false }).AsCollection);
            Assert.That(interrupt.Read(), Is.False);
        }
    }

    [Test]
    public void Input_ReadsTheLevelTheDriverSees()
    {
        var driver = new FakeGpioDriver();
        using var controller = new GpioController(driver);
        using var interrupt = GpioLine.Input(controller, InterruptPin);

        driver.DriveInput(InterruptPin, PinValue.High);

        Assert.That(interrupt.Read(), Is.True);
    }

    [Test]
    public void Input_RefusesToBeDriven()
    {
        using var controller = new GpioController(new FakeGpioDriver());
        using var interrupt = GpioLine.Input(controller, InterruptPin);

        Assert.That(() => interrupt.Write(true), Throws.InvalidOperationException);
    }

    [Test]
    public void Input_WithAnOutputMode_IsRejected()
    {
        var driver = new FakeGpioDriver();
        using var controller = new GpioController(driver);

        Assert.That(() => GpioLine.Input(controller, InterruptPin, PinMode.Output), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(driver.IsOpen(InterruptPin), Is.False);
    }

    [Test]
    public void Dispose_ClosesThePinAndUnregistersTheCallback_ButLeavesASharedControllerOpen()
    {
        var driver = new FakeGpioDriver();
        using var controller = new GpioController(driver);
        var interrupt = GpioLine.Input(controller, InterruptPin);
        using var reset = GpioLine.Output(controller, ResetPin, initialHigh: false);
        int edges = 0;
        interrupt.EdgeDetected += (_, _) => edges++;

        interrupt.Dispose();
        driver.DriveInput(InterruptPin, PinValue.High);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(driver.CallbackCount(InterruptPin), Is.Zero);
            Assert.That(driver.IsOpen(InterruptPin), Is.False);
            Assert.That(controller.IsPinOpen(InterruptPin), Is.False);
            Assert.That(edges, Is.Zero);
            Assert.That(driver.IsDisposed, Is.False);
            Assert.That(driver.IsOpen(ResetPin), Is.True);
        }
    }

    [Test]
    public void Dispose_OfALineThatOwnsItsController_DisposesTheController()
    {
        var driver = new FakeGpioDriver();
        var controller = new GpioController(driver);
        var reset = GpioLine.Output(controller, ResetPin, initialHigh: false, shouldDispose: true);

        reset.Dispose();

        Assert.That(driver.IsDisposed, Is.True);
    }
}
