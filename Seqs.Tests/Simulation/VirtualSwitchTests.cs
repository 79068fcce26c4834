using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Simulation;

public sealed class VirtualSwitchTests
{
    private static readonly MacAddress MacA = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress MacB = MacAddress.Parse("02:00:00:00:00:0b");
    private static readonly MacAddress MacC = MacAddress.Parse("02:00:00:00:00:0c");
    private static readonly MacAddress MacD = MacAddress.Parse("02:00:00:00:00:0d");

    [Test]
    public void UnknownDestination_IsFloodedThenLearnedAddressesAreForwardedOnly()
    {
        var (sim, sw, a, b, c) = ThreePorts();
        using (sim)
        {
            a.TryTransmit(NumberedFrame.Create(MacB, MacA, 1, 64));
            sim.RunFor(TimeSpan.FromMilliseconds(1));
            Assert.That((b.FramesReceived, c.FramesReceived), Is.EqualTo((1L, 1L)), "B is unknown: flooded");

            b.TryTransmit(NumberedFrame.Create(MacA, MacB, 2, 64));
            sim.RunFor(TimeSpan.FromMilliseconds(1));
            Assert.That((a.FramesReceived, c.FramesReceived), Is.EqualTo((1L, 1L)), "A was learned from its first frame");

            a.TryTransmit(NumberedFrame.Create(MacB, MacA, 3, 64));
            sim.RunFor(TimeSpan.FromMilliseconds(1));
            Assert.Multiple(() =>
            {
                Assert.That((b.FramesReceived, c.FramesReceived), Is.EqualTo((2L, 1L)), "B was learned from its reply");
                Assert.That(sw.FramesFlooded, Is.EqualTo(1));
                Assert.That(sw.FramesForwarded, Is.EqualTo(2));
                Assert.That(sw.TryGetPort(MacA, out int portA) ? portA : -1, Is.Zero);
                Assert.That(sw.TryGetPort(MacB, out int portB) ? portB : -1, Is.EqualTo(1));
                Assert.That(sw.TryGetPort(MacC, out _), Is.False);
            });
        }
    }

    [Test]
    public void BroadcastAndMulticast_GoToEveryOtherPortEvenWhenEveryoneIsKnown()
    {
        var (sim, sw, a, b, c) = ThreePorts();
        using (sim)
        {
            foreach (VirtualNic nic in new[] { a, b, c })
                nic.TryTransmit(NumberedFrame.Create(MacAddress.Broadcast, nic.MacAddress, 0, 64));
            sim.RunFor(TimeSpan.FromMilliseconds(1));
            Assert.That(sw.LearnedAddressCount, Is.EqualTo(3));

            a.TryTransmit(NumberedFrame.Create(MacAddress.Broadcast, MacA, 1, 64));
            a.TryTransmit(NumberedFrame.Create(MacAddress.Parse("01:00:5e:00:00:fb"), MacA, 2, 64));
            sim.RunFor(TimeSpan.FromMilliseconds(1));

            Assert.Multiple(() =>
            {
                Assert.That(a.FramesReceived, Is.EqualTo(2));
                Assert.That(b.FramesReceived, Is.EqualTo(4));
                Assert.That(c.FramesReceived, Is.EqualTo(4));
                Assert.That(sw.FramesFlooded, Is.EqualTo(5));
                Assert.That(sw.FramesForwarded, Is.Zero);
            });
        }
    }

    [Test]
    public void FrameForTheSamePortItCameFrom_IsFiltered()
    {
        var (sim, sw, a, b, _) = ThreePorts();
        using (sim)
        {
            a.TryTransmit(NumberedFrame.Create(MacB, MacA, 1, 64));
            sim.RunFor(TimeSpan.FromMilliseconds(1));
            // A frame for A arriving on A's own port (as from another host on a hub there) goes nowhere.
            a.TryTransmit(NumberedFrame.Create(MacA, MacD, 2, 64));
            sim.RunFor(TimeSpan.FromMilliseconds(1));

            Assert.That(sw.FramesFiltered, Is.EqualTo(1));
            Assert.That(b.FramesReceived, Is.EqualTo(1));
        }
    }

    [Test]
    public void LearnedAddress_AgesOutAndIsFloodedAgain()
    {
        using var sim = new NetworkSimulation();
        VirtualSwitch sw = sim.CreateSwitch(3, agingTime: TimeSpan.FromSeconds(10));
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        var c = new VirtualNic(MacC);
        sw.Connect(0, a);
        sw.Connect(1, b);
        sw.Connect(2, c);

        b.TryTransmit(NumberedFrame.Create(MacAddress.Broadcast, MacB, 0, 64));
        sim.RunFor(TimeSpan.FromMilliseconds(9999));
        a.TryTransmit(NumberedFrame.Create(MacB, MacA, 1, 64));
        sim.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(c.FramesReceived, Is.EqualTo(1), "only the broadcast: B is still known");
        Assert.That(sw.TryGetPort(MacB, out _), Is.False, "10 s after B was last heard");

        a.TryTransmit(NumberedFrame.Create(MacB, MacA, 2, 64));
        sim.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(c.FramesReceived, Is.EqualTo(2));
    }

    [Test]
    public void FullAddressTable_LearnsNothingNew()
    {
        using var sim = new NetworkSimulation();
        VirtualSwitch sw = sim.CreateSwitch(3, macTableCapacity: 2);
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        var c = new VirtualNic(MacC);
        sw.Connect(0, a);
        sw.Connect(1, b);
        sw.Connect(2, c);

        foreach (VirtualNic nic in new[] { a, b, c })
            nic.TryTransmit(NumberedFrame.Create(MacAddress.Broadcast, nic.MacAddress, 0, 64));
        sim.RunFor(TimeSpan.FromMilliseconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(sw.LearnedAddressCount, Is.EqualTo(2));
            Assert.That(sw.TryGetPort(MacA, out _), Is.True);
            Assert.That(sw.TryGetPort(MacB, out _), Is.True);
            Assert.That(sw.TryGetPort(MacC, out _), Is.False);
        });
    }

    [Test]
    public void CongestedOutputPort_DropsWhatItsQueueCannotHold()
    {
        using var sim = new NetworkSimulation();
        VirtualSwitch sw = sim.CreateSwitch(3);
        var a = new VirtualNic(MacA, transmitQueueLimit: 64);
        var b = new VirtualNic(MacB, transmitQueueLimit: 64);
        var c = new VirtualNic(MacC);
        sw.Connect(0, a);
        sw.Connect(1, b);
        sw.Connect(2, c, new LinkFaults { BitsPerSecond = 1_000_000, QueueCapacity = 4 });
        c.TryTransmit(NumberedFrame.Create(MacAddress.Broadcast, MacC, 0, 64));
        sim.RunFor(TimeSpan.FromMilliseconds(10));

        for (int i = 0; i < 5; i++)
        {
            a.TryTransmit(NumberedFrame.Create(MacC, MacA, i, 1000));
            b.TryTransmit(NumberedFrame.Create(MacC, MacB, i, 1000));
        }
        sim.RunFor(TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(sw.FromSwitch(2).FramesOverflowed, Is.EqualTo(6));
            Assert.That(c.FramesReceived, Is.EqualTo(4));
        });
    }

    [Test]
    public void ConnectingTwice_IsRefused()
    {
        using var sim = new NetworkSimulation();
        VirtualSwitch sw = sim.CreateSwitch(2);
        var a = new VirtualNic(MacA);
        sw.Connect(0, a);
        Assert.Multiple(() =>
        {
            Assert.That(() => sw.Connect(1, a), Throws.InvalidOperationException);
            Assert.That(() => sw.Connect(0, new VirtualNic(MacB)), Throws.InvalidOperationException);
            Assert.That(() => sw.Connect(2, new VirtualNic(MacB)), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    private static (NetworkSimulation Sim, VirtualSwitch Switch, VirtualNic A, VirtualNic B, VirtualNic C) ThreePorts()
    {
        var sim = new NetworkSimulation();
        VirtualSwitch sw = sim.CreateSwitch(4);
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        var c = new VirtualNic(MacC);
        sw.Connect(0, a);
        sw.Connect(1, b);
        sw.Connect(3, c);
        return (sim, sw, a, b, c);
    }
}
