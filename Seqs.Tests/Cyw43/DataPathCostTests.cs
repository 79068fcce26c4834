using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Register.Bus;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// gSPI transactions and bytes beyond the Ethernet frame, per full-size (1514-byte) frame, counted by the emulator
/// (issue 8 targets: at most 2 transactions and 32 extra bytes each way in steady state). Printed for the README.
/// </summary>
public sealed class DataPathCostTests
{
    private const int Warmup = 32;
    private const int Frames = 256;

    [Test]
    public void Transmit_SteadyState_CostsOneWritePerFrame_PlusTheCreditTopUps()
    {
        using var board = new JoinedBoard();
        byte[] frame = board.Frame();
        var sink = new byte[1514];
        var buffer = new byte[1514];
        void Send()
        {
            while (!board.Driver.TryTransmit(frame))
                board.Driver.TryReceive(buffer, out _);
            board.Peer.TryReceive(sink, out _);
        }

        (double transactions, double extra) = Measure(board, Send, framesPerStep: 1);
        TestContext.Out.WriteLine($"transmit: {transactions:F3} transactions, {extra:F1} bytes beyond the frame, per 1514-byte frame");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(transactions, Is.LessThanOrEqualTo(2));
            Assert.That(extra, Is.LessThanOrEqualTo(32));
            Assert.That(board.Chip.TransactionsTo(BusFunction.Wlan), Is.GreaterThanOrEqualTo(Frames));
        }
    }

    [Test]
    public void Receive_BackToBack_CostsOneReadPerFrame_ThanksToTheStatusWord()
    {
        using var board = new JoinedBoard();
        byte[] frame = board.Frame();
        var buffer = new byte[1514];
        void Burst()
        {
            for (int i = 0; i < 8; i++)
                board.Peer.TryTransmit(frame);
            for (int i = 0; i < 8; i++)
                Assert.That(board.Driver.TryReceive(buffer, out _), Is.True);
        }

        (double transactions, double extra) = Measure(board, Burst, framesPerStep: 8);
        TestContext.Out.WriteLine($"receive, bursts of 8: {transactions:F3} transactions, {extra:F1} bytes beyond the frame, per 1514-byte frame");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(transactions, Is.LessThanOrEqualTo(2));
            Assert.That(extra, Is.LessThanOrEqualTo(32));
        }
    }

    [Test]
    public void Receive_OneFrameAtAnIdleChip_CostsTheInterruptAcknowledgementAndTheFrameRead()
    {
        using var board = new JoinedBoard();
        byte[] frame = board.Frame();
        var buffer = new byte[1514];
        board.Peer.TryTransmit(frame);
        board.Driver.TryReceive(buffer, out _);
        board.Chip.ResetCounters();

        board.Peer.TryTransmit(frame);
        Assert.That(board.Driver.TryReceive(buffer, out _), Is.True);

        (double transactions, double extra) = PerFrame(board, frames: 1);
        TestContext.Out.WriteLine($"receive, one frame at an idle chip: {transactions} transactions, {extra} bytes beyond the frame");
        Assert.That(transactions, Is.EqualTo(3), "read the interrupt register, write back what was set (its status word says how long the frame is), then the F2 read");
        Assert.That(extra, Is.EqualTo(12 + 12 + 4 + 12 + 4 + 2 + 4), "interrupt read and write-back; command; SDPCM; BDC; status word; 2 bytes rounding 1530 up to 4");
    }

    /// <summary>Runs <paramref name="step"/> for <see cref="Warmup"/> frames, then counts <see cref="Frames"/> frames' worth.</summary>
    private static (double Transactions, double ExtraBytes) Measure(JoinedBoard board, Action step, int framesPerStep)
    {
        for (int i = 0; i < Warmup / framesPerStep; i++)
            step();
        board.Chip.ResetCounters();
        for (int i = 0; i < Frames / framesPerStep; i++)
            step();
        return PerFrame(board);
    }

    private static (double Transactions, double ExtraBytes) PerFrame(JoinedBoard board, int frames = Frames) =>
        ((double)board.Chip.Transactions / frames, (double)(board.Chip.Bytes - (long)frames * Cyw43439.MaxEthernetFrameSize) / frames);
}
