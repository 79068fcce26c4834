using System.Device.Spi;
using Seqs.Hal;

namespace Seqs.Tests.Hal;

public sealed class SpiDeviceBusTests
{
    private static FakeSpiDevice CreateDevice() => new(new SpiConnectionSettings(0, 0) { ClockFrequency = 8_000_000 });

    [Test]
    public void Exchange_ClocksTransmitBytesInOneFrame_AndReturnsMisoBytes()
    {
        var device = CreateDevice();
        using var bus = new SpiDeviceBus(device);
        device.EnqueueMiso(0x00, 0x42, 0x17);
        byte[] receive = new byte[3];

        bus.Exchange([0x1F, 0x00, 0x00], receive);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(device.Frames, Has.Count.EqualTo(1));
            Assert.That(device.Frames[0], Is.EqualTo(new byte[] { 0x1F, 0x00, 0x00 }).AsCollection);
            Assert.That(receive, Is.EqualTo(new byte[] { 0x00, 0x42, 0x17 }).AsCollection);
        }
    }

    [Test]
    public void Exchange_WithEmptyReceive_SendsAFullFrameInOneChipSelect()
    {
        var device = CreateDevice();
        using var bus = new SpiDeviceBus(device);
        byte[] transmit = new byte[1 + 1518];
        transmit[0] = 0x7A;
        new Random(28).NextBytes(transmit.AsSpan(1));

        bus.Exchange(transmit, []);

        Assert.That(device.Frames, Is.EqualTo(new[] { transmit }).AsCollection);
    }

    [Test]
    public void Exchange_WithReceiveOfAnotherLength_ThrowsWithoutTouchingTheBus()
    {
        var device = CreateDevice();
        using var bus = new SpiDeviceBus(device);

        Assert.That(() => bus.Exchange([0x1F, 0x00], new byte[1]), Throws.ArgumentException);
        Assert.That(device.Frames, Is.Empty);
    }

    [Test]
    public void ClockFrequency_IsTheDevicesConfiguredClock()
    {
        using var bus = new SpiDeviceBus(CreateDevice());

        Assert.That(bus.ClockFrequency, Is.EqualTo(8_000_000));
    }

    [Test]
    public void Dispose_DisposesTheOwnedDevice_AndLaterExchangesThrow()
    {
        var device = CreateDevice();
        var bus = new SpiDeviceBus(device);

        bus.Dispose();

        Assert.That(device.IsDisposed, Is.True);
        Assert.That(() => bus.Exchange([0x00], []), Throws.InstanceOf<ObjectDisposedException>());
    }
}
