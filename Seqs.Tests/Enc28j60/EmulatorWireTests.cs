using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

/// <summary>The emulator's wire side attached to a NIC that hands over a burst faster than 10BASE-T, as a TAP does.</summary>
public sealed class EmulatorWireTests
{
    private const int BurstFrames = 40;

    [Test]
    public void BurstFromTheWire_WithHoldFramesWhileFull_WaitsOnTheWireAndArrivesWhole()
    {
        var wire = new QueuedNic(new MacAddress(0x02_00_00_00_00_77));
        using var board = new EmulatedBoard(beforeInit: chip =>
        {
            chip.HoldFramesWhileFull = true;
            chip.Attach(wire);
        });
        List<byte[]> burst = Burst(wire);

        board.Chip.PumpWire();
        Assert.That(wire.Incoming, Is.Not.Empty, "the chip's buffer cannot take a burst of full-size frames at once");
        List<byte[]> received = ReceiveAll(board);

        Assert.Multiple(() =>
        {
            Assert.That(received, Is.EqualTo(burst).AsCollection);
            Assert.That(wire.Incoming, Is.Empty);
            Assert.That(board.Chip.ReceiveOverflows, Is.Zero);
            Assert.That(wire.ArmedWakeUp is not null, Is.True, "the wire's wake-up is armed again once it is drained");
        });
    }

    [Test]
    public void BurstFromTheWire_WithoutHold_OverflowsTheReceiveBuffer()
    {
        var wire = new QueuedNic(new MacAddress(0x02_00_00_00_00_77));
        using var board = new EmulatedBoard(beforeInit: chip => chip.Attach(wire));
        Burst(wire);

        board.Chip.PumpWire();
        List<byte[]> received = ReceiveAll(board);

        Assert.Multiple(() =>
        {
            Assert.That(wire.Incoming, Is.Empty);
            Assert.That(board.Chip.ReceiveOverflows, Is.EqualTo(BurstFrames - received.Count));
            Assert.That(received, Has.Count.LessThan(BurstFrames));
        });
    }

    private static List<byte[]> Burst(QueuedNic wire)
    {
        var burst = new List<byte[]>();
        for (int i = 0; i < BurstFrames; i++)
        {
            byte[] frame = PatternFrame.Create(1514, EmulatedBoard.Mac, (byte)i);
            burst.Add(frame);
            wire.Incoming.Enqueue(frame);
        }
        return burst;
    }

    private static List<byte[]> ReceiveAll(EmulatedBoard board)
    {
        var received = new List<byte[]>();
        while (board.Receive() is { } frame)
            received.Add(frame);
        return received;
    }
}
