using Seqs.Diagnostics;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Diagnostics;

public sealed class CapturingNicTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    [Test]
    public void ReceivedAndTransmittedFrames_AreRecordedInOrderWithTheClocksTime()
    {
        var inner = new QueuedNic(MacAddress.Parse("02:00:00:00:00:01"));
        var clock = new VirtualClock(Start);
        using var stream = new MemoryStream();
        using var writer = new PcapWriter(stream, leaveOpen: true);
        var nic = new CapturingNic(inner, writer, clock);
        inner.Incoming.Enqueue(Filled(60, 0xAA));
        byte[] buffer = new byte[nic.MaxFrameSize];

        Assert.That(nic.TryReceive(buffer, out int length), Is.True);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.That(nic.TryTransmit(Filled(70, 0xBB)), Is.True);
        writer.Flush();

        byte[] file = stream.ToArray();
        int second = FileHeaderLength + RecordHeaderLength + 60;
        Assert.Multiple(() =>
        {
            Assert.That(length, Is.EqualTo(60));
            Assert.That(writer.FramesWritten, Is.EqualTo(2));
            Assert.That(file, Has.Length.EqualTo(second + RecordHeaderLength + 70));
            Assert.That(BitConverter.ToUInt32(file, FileHeaderLength + 4), Is.Zero, "first frame: µs");
            Assert.That(file[FileHeaderLength + RecordHeaderLength], Is.EqualTo(0xAA));
            Assert.That(BitConverter.ToUInt32(file, second + 4), Is.EqualTo(250_000), "second frame: µs");
            Assert.That(file[second + RecordHeaderLength], Is.EqualTo(0xBB));
            Assert.That(inner.Transmitted, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void FramesTheInnerNicRefusesOrDoesNotHave_AreNotRecorded()
    {
        var inner = new QueuedNic(MacAddress.Parse("02:00:00:00:00:01")) { HasTransmitRoom = false };
        using var writer = new PcapWriter(new MemoryStream());
        var nic = new CapturingNic(inner, writer, new VirtualClock(Start));

        Assert.Multiple(() =>
        {
            Assert.That(nic.TryTransmit(Filled(60, 0)), Is.False);
            Assert.That(nic.TryReceive(new byte[1514], out _), Is.False);
            Assert.That(writer.FramesWritten, Is.Zero);
        });
    }

    [Test]
    public void IdentityLinkStateAndWakeUp_ComeFromTheInnerNic()
    {
        var inner = new QueuedNic(MacAddress.Parse("02:00:00:00:00:07"));
        using var writer = new PcapWriter(new MemoryStream());
        var nic = new CapturingNic(inner, writer, new VirtualClock(Start));
        object? sender = null;
        nic.LinkStateChanged += (s, _) => sender = s;
        Action wakeUp = () => { };

        inner.SetLinkUp(false);
        nic.ArmWakeUp(wakeUp);

        Assert.Multiple(() =>
        {
            Assert.That(nic.MacAddress, Is.EqualTo(inner.MacAddress));
            Assert.That(nic.MaxFrameSize, Is.EqualTo(1514));
            Assert.That(nic.IsLinkUp, Is.False);
            Assert.That(sender, Is.SameAs(nic));
            Assert.That((object?)inner.ArmedWakeUp, Is.SameAs(wakeUp));
        });
    }

    private static byte[] Filled(int length, byte value)
    {
        byte[] frame = new byte[length];
        frame.AsSpan().Fill(value);
        return frame;
    }
}
