namespace Seqs.Tests.Cyw43;

/// <summary>
/// Once warm, a frame through the CYW43439 driver allocates nothing in either direction: an echo request from B
/// arrives over the emulated chip's data channel and A's reply leaves through it, all on the test thread.
/// </summary>
[NonParallelizable]
public sealed class Cyw43AllocationTests
{
    private const int Warmup = 200;
    private const int Measured = 2000;

    [Test]
    public void EchoThroughTheDriver_AllocatesNothing_InEitherDirection()
    {
        using var net = new EmulatedWifiNetwork();

        long allocated = EchoAllocation.Measure(frame => net.SendFromB(frame), Warmup, Measured);

        Assert.That(allocated, Is.Zero);
        Assert.That(net.A.Counters.IcmpEchoRepliesSent, Is.EqualTo(Warmup + Measured));
        Assert.That(net.Driver.Counters.FramesTransmitted, Is.GreaterThanOrEqualTo(Warmup + Measured));
    }
}
