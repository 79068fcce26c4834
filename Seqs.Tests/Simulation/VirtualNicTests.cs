using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Simulation;

public sealed class VirtualNicTests
{
    private static readonly MacAddress MacA = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress MacB = MacAddress.Parse("02:00:00:00:00:0b");

    [Test]
    public void FullReceiveQueue_DropsAndCountsArrivals()
    {
        var nic = new VirtualNic(MacA, receiveQueueCapacity: 2);
        for (int i = 0; i < 5; i++)
            nic.InjectReceived(NumberedFrame.Create(MacA, MacB, i, 64));

        var buffer = new byte[nic.MaxFrameSize];
        var numbers = new List<int>();
        while (nic.TryReceive(buffer, out int length))
            numbers.Add(NumberedFrame.ReadNumber(buffer.AsSpan(0, length)));

        Assert.Multiple(() =>
        {
            Assert.That(numbers, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(nic.FramesReceived, Is.EqualTo(2));
            Assert.That(nic.BytesReceived, Is.EqualTo(128));
            Assert.That(nic.FramesDropped, Is.EqualTo(3));
        });
    }

    [Test]
    public void ReceiveQueue_KeepsFrameOrderAcrossWrapAround()
    {
        var nic = new VirtualNic(MacA, receiveQueueCapacity: 3);
        var buffer = new byte[nic.MaxFrameSize];
        var numbers = new List<int>();
        for (int i = 0; i < 10; i++)
        {
            nic.InjectReceived(NumberedFrame.Create(MacA, MacB, i, 60 + i));
            if (i % 2 == 1)
            {
                while (nic.TryReceive(buffer, out int length))
                {
                    Assert.That(length, Is.EqualTo(60 + NumberedFrame.ReadNumber(buffer)));
                    numbers.Add(NumberedFrame.ReadNumber(buffer));
                }
            }
        }
        Assert.That(numbers, Is.EqualTo(Enumerable.Range(0, 10)));
    }

    [Test]
    public void FrameLongerThanTheCallersBuffer_IsDiscardedAndTheNextReturned()
    {
        var nic = new VirtualNic(MacA);
        nic.InjectReceived(NumberedFrame.Create(MacA, MacB, 1, 200));
        nic.InjectReceived(NumberedFrame.Create(MacA, MacB, 2, 100));

        var buffer = new byte[150];
        Assert.That(nic.TryReceive(buffer, out int length), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(length, Is.EqualTo(100));
            Assert.That(NumberedFrame.ReadNumber(buffer), Is.EqualTo(2));
            Assert.That(nic.FramesDiscarded, Is.EqualTo(1));
            Assert.That(nic.TryReceive(buffer, out _), Is.False);
        });
    }

    [Test]
    public void ShortFrame_IsPaddedToSixtyBytes()
    {
        using var sim = new NetworkSimulation();
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        sim.Connect(a, b);

        Assert.That(a.TryTransmit(NumberedFrame.Create(MacB, MacA, 7, 20)), Is.True);
        sim.RunFor(TimeSpan.Zero);

        var buffer = new byte[b.MaxFrameSize];
        Assert.That(b.TryReceive(buffer, out int length), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(length, Is.EqualTo(60));
            Assert.That(NumberedFrame.ReadNumber(buffer), Is.EqualTo(7));
            Assert.That(buffer.AsSpan(20, 40).IndexOfAnyExcept((byte)0), Is.EqualTo(-1));
            Assert.That(a.BytesTransmitted, Is.EqualTo(60));
        });
    }

    [Test]
    public void OversizedFrame_IsRefusedAsMisuse()
    {
        var nic = new VirtualNic(MacA);
        Assert.That(() => nic.TryTransmit(new byte[1515]), Throws.ArgumentException);
    }

    [Test]
    public void ArmWakeUp_FiresAtOnceWhenAFrameIsAlreadyWaiting()
    {
        var nic = new VirtualNic(MacA);
        nic.InjectReceived(NumberedFrame.Create(MacA, MacB, 1, 64));
        int wakeUps = 0;
        nic.ArmWakeUp(() => wakeUps++);
        Assert.That(wakeUps, Is.EqualTo(1));
    }

    [Test]
    public void ArmWakeUp_FiresOnceOnArrivalThenStaysQuietUntilArmedAgain()
    {
        var nic = new VirtualNic(MacA);
        int wakeUps = 0;
        nic.ArmWakeUp(() => wakeUps++);
        Assert.That(wakeUps, Is.Zero);

        nic.InjectReceived(NumberedFrame.Create(MacA, MacB, 1, 64));
        nic.InjectReceived(NumberedFrame.Create(MacA, MacB, 2, 64));
        Assert.That(wakeUps, Is.EqualTo(1));

        nic.ArmWakeUp(() => wakeUps++);
        Assert.That(wakeUps, Is.EqualTo(2), "frames are still waiting, so arming wakes at once");
    }

    [Test]
    public void LinkChange_RaisesTheEventAndFiresTheWakeUp()
    {
        var nic = new VirtualNic(MacA);
        int changes = 0, wakeUps = 0;
        nic.LinkStateChanged += (_, _) => changes++;
        nic.ArmWakeUp(() => wakeUps++);

        nic.SetLinkUp(false);
        nic.SetLinkUp(false);

        Assert.Multiple(() =>
        {
            Assert.That(nic.IsLinkUp, Is.False);
            Assert.That(changes, Is.EqualTo(1));
            Assert.That(wakeUps, Is.EqualTo(1));
        });
    }

    [Test]
    public void UnpluggedCable_DiscardsFramesBothWays()
    {
        using var sim = new NetworkSimulation();
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        VirtualLink link = sim.Connect(a, b);

        link.SetLinkUp(false);
        Assert.That(a.TryTransmit(NumberedFrame.Create(MacB, MacA, 1, 64)), Is.True, "a NIC without carrier still takes the frame");
        Assert.That(b.InjectReceived(NumberedFrame.Create(MacB, MacA, 2, 64)), Is.False);
        sim.RunFor(TimeSpan.FromMilliseconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(a.FramesDiscarded, Is.EqualTo(1));
            Assert.That(b.FramesDiscarded, Is.EqualTo(1));
            Assert.That(b.ReceiveQueueLength, Is.Zero);
            Assert.That(link.AToB.FramesSent, Is.Zero);
        });
    }

    [Test]
    public void FullTransmitQueue_PushesBackUntilTheWireFreesRoom()
    {
        using var sim = new NetworkSimulation();
        var a = new VirtualNic(MacA, transmitQueueLimit: 2);
        var b = new VirtualNic(MacB);
        // 1000 bytes at 8 Mbit/s: 1 ms on the wire each.
        sim.Connect(a, b, new LinkFaults { BitsPerSecond = 8_000_000 });

        Assert.That(a.TryTransmit(NumberedFrame.Create(MacB, MacA, 0, 1000)), Is.True);
        Assert.That(a.TryTransmit(NumberedFrame.Create(MacB, MacA, 1, 1000)), Is.True);
        Assert.That(a.TryTransmit(NumberedFrame.Create(MacB, MacA, 2, 1000)), Is.False);
        Assert.That(a.TransmitRejections, Is.EqualTo(1));

        TimeSpan? wokenAt = null;
        a.ArmWakeUp(() => wokenAt = sim.Now);
        sim.RunFor(TimeSpan.FromMilliseconds(1));

        Assert.That(wokenAt, Is.EqualTo(TimeSpan.FromMilliseconds(1)));
        Assert.That(a.TryTransmit(NumberedFrame.Create(MacB, MacA, 2, 1000)), Is.True);
        Assert.That(a.FramesTransmitted, Is.EqualTo(3));
    }
}
