using Seqs.Drivers.Cyw43.Register.Bus;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// What each bus operation costs on the wire, counted by the emulator: chip-select frames and bytes clocked. Every
/// transaction carries a 4-byte command word and, once enabled, a 4-byte status word; F1 reads add the 4-byte
/// response delay. The numbers are printed for the driver README.
/// </summary>
public sealed class GspiCostTests
{
    [TestCase("F0 register read", 1, 12)]
    [TestCase("F1 register read", 1, 16)]
    [TestCase("F1 register write", 1, 12)]
    [TestCase("backplane read, cached window", 1, 16)]
    [TestCase("backplane read, window bytes all changed", 4, 52)]
    [TestCase("backplane read, one window byte changed", 2, 28)]
    [TestCase("64-byte backplane write", 1, 72)]
    public void Operation_CostsTheExpectedTransactionsAndBytes(string operation, int transactions, int bytes)
    {
        using var board = new EmulatedCyw43Board();
        board.Boot();
        board.Driver.Backplane.Read16(0x18000000);
        board.Chip.ResetCounters();

        switch (operation)
        {
            case "F0 register read":
                board.Driver.Gspi.Read(BusFunction.Bus, 0x14, 4);
                break;
            case "F1 register read":
                board.Driver.Gspi.Read(BusFunction.Backplane, 0x1000E, 1);
                break;
            case "F1 register write":
                board.Driver.Gspi.Write(BusFunction.Backplane, 0x1000F, 0, 1);
                break;
            case "backplane read, cached window":
                board.Driver.Backplane.Read32(0x18000000);
                break;
            case "backplane read, window bytes all changed":
                board.Driver.Backplane.Read32(0x0001_8000);
                break;
            case "backplane read, one window byte changed":
                board.Driver.Backplane.Read32(0x1800_8000);
                break;
            case "64-byte backplane write":
                board.Driver.Backplane.Write(0x1800_0100, new byte[64]);
                break;
        }

        TestContext.Out.WriteLine($"{operation}: {board.Chip.Transactions} transactions, {board.Chip.Bytes} bytes");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Chip.Transactions, Is.EqualTo(transactions));
            Assert.That(board.Chip.Bytes, Is.EqualTo(bytes));
        }
    }

    [Test]
    public void RealSizeBoot_CostIsReported()
    {
        using var board = new EmulatedCyw43Board();

        board.Boot(SyntheticFirmware.RealSize());

        long download = (SyntheticFirmware.RealFirmwareLength + 63) / 64;
        TestContext.Out.WriteLine($"boot with a {SyntheticFirmware.RealFirmwareLength}-byte firmware: {board.Chip.Transactions} transactions " +
            $"({board.Chip.TransactionsTo(BusFunction.Backplane)} on F1), {board.Chip.Bytes} bytes, virtual {board.Clock.Elapsed.TotalMilliseconds} ms");
        Assert.That(board.Chip.TransactionsTo(BusFunction.Backplane), Is.InRange(download, download + 100));
    }
}
