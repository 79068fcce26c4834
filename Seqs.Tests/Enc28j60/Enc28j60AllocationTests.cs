namespace Seqs.Tests.Enc28j60;

/// <summary>
/// Once warm, a frame through the driver allocates nothing in either direction: an echo request from B arrives
/// through the emulated chip's receive path and A's reply leaves through its transmit path, all on the test thread.
/// </summary>
[NonParallelizable]
public sealed class Enc28j60AllocationTests
{
    private const int Warmup = 200;
    private const int Measured = 2000;

    [Test]
    public void EchoThroughTheDriver_AllocatesNothing_InEitherDirection()
    {
        using var net = new EmulatedChipNetwork();

        long allocated = EchoAllocation.Measure(frame => net.SendFromB(frame), Warmup, Measured);

        Assert.That(allocated, Is.Zero);
        Assert.That(net.A.Counters.IcmpEchoRepliesSent, Is.EqualTo(Warmup + Measured));
        Assert.That(net.Driver.Counters.FramesTransmitted, Is.GreaterThanOrEqualTo(Warmup + Measured));
    }
}
