using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Simulation;

public sealed class CrossoverNicTests
{
    [Test]
    public void FrameSentByOneEnd_IsReceivedByTheOther_AndWakesIt()
    {
        (CrossoverNic a, CrossoverNic b) = CrossoverNic.CreatePair(new MacAddress(1), new MacAddress(2));
        bool woken = false;
        b.ArmWakeUp(() => woken = true);

        Assert.That(a.TryTransmit([1, 2, 3]), Is.True);

        var buffer = new byte[1514];
        Assert.That(woken, Is.True);
        Assert.That(b.TryReceive(buffer, out int length), Is.True);
        Assert.That(buffer[..length], Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(a.TryReceive(buffer, out _), Is.False, "nothing crossed the other way");
        Assert.That(b.TryReceive(buffer, out _), Is.False);
    }

    [Test]
    public void FullRing_PushesBack()
    {
        (CrossoverNic a, CrossoverNic b) = CrossoverNic.CreatePair(new MacAddress(1), new MacAddress(2), ringFrames: 2);
        Assert.That(a.TryTransmit([1]), Is.True);
        Assert.That(a.TryTransmit([2]), Is.True);
        Assert.That(a.TryTransmit([3]), Is.False);
        Assert.That(b.TryReceive(new byte[64], out _), Is.True);
        Assert.That(a.TryTransmit([3]), Is.True, "room again once the peer took a frame");
    }
}
