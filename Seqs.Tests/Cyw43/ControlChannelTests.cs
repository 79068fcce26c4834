using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Register.Bus;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Wire;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// Ioctls over the SDPCM control channel (embassy control.rs, runner.rs;
/// docs/reference/cyw43439.md#control-events-and-join), driver against emulator, in virtual time.
/// </summary>
public sealed class ControlChannelTests
{
    [Test]
    public void GetMacAddress_ReturnsTheChipsCurEtheraddr()
    {
        using var board = Booted(c => c.MacAddress = new MacAddress(0x02_11_22_33_44_55));

        MacAddress mac = Run(board, board.Driver.GetMacAddressAsync());

        Assert.That(mac, Is.EqualTo(new MacAddress(0x02_11_22_33_44_55)));
    }

    [Test]
    public void SetVariable_ReachesTheFirmwareAsNameNulValue()
    {
        using var board = Booted();

        Run(board, board.Driver.SetVariableAsync("bus:txglom", 0));
        Run(board, board.Driver.SetVariableAsync("apsta", 1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Chip.Variable("bus:txglom"), Is.EqualTo(new byte[] { 0, 0, 0, 0 }).AsCollection);
            Assert.That(board.Chip.Variable("apsta"), Is.EqualTo(new byte[] { 1, 0, 0, 0 }).AsCollection);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty);
        }
    }

    [Test]
    public void SetIoctl_IsStoredByTheFirmware()
    {
        using var board = Booted();

        Run(board, board.Driver.SetIoctlAsync(Ioctl.SetInfra, 1));

        Assert.That(board.Chip.IoctlValue(Ioctl.SetInfra), Is.EqualTo(new byte[] { 1, 0, 0, 0 }).AsCollection);
    }

    [Test]
    public void ManyIoctls_UseIncreasingSequenceNumbersWithinTheCredit()
    {
        using var board = Booted();
        int ioctlsAtBoot = board.Chip.IoctlsReceived;
        byte sequenceAtBoot = board.Driver.SdpcmSequence;

        for (int i = 0; i < 300; i++)
            Run(board, board.Driver.SetVariableAsync("ampdu_ba_wsize", (uint)i));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Chip.IoctlsReceived - ioctlsAtBoot, Is.EqualTo(300));
            Assert.That(board.Driver.SdpcmSequence, Is.EqualTo((sequenceAtBoot + 300) % 256), "wraps at 256");
            Assert.That(board.Chip.ProtocolViolations, Is.Empty, "sequence incremented for every frame");
        }
    }

    [Test]
    public void UnknownVariable_FailsWithTheFirmwareStatus()
    {
        using var board = Booted();

        var error = Assert.Throws<Cyw43IoctlException>(() => Run(board, board.Driver.GetVariableAsync("no_such_var", new byte[4])))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Status, Is.Not.Zero);
            Assert.That(error.Variable, Is.EqualTo("no_such_var"));
        }
    }

    [Test]
    public void Ioctl_CostsOneWriteAndOneReadTransaction()
    {
        using var board = Booted();
        Run(board, board.Driver.SetVariableAsync("apsta", 1));
        board.Chip.ResetCounters();

        Run(board, board.Driver.SetVariableAsync("apsta", 1));

        TestContext.Out.WriteLine($"SET_VAR apsta: {board.Chip.Transactions} transactions, {board.Chip.Bytes} bytes");
        Assert.That(board.Chip.TransactionsTo(BusFunction.Wlan), Is.EqualTo(2));
        Assert.That(board.Chip.Transactions, Is.EqualTo(2), "the status word after the write announces the answer: no STATUS polls");
    }

    [Test]
    public void IoctlBeforeInitialize_IsRefused()
    {
        using var board = new EmulatedCyw43Board();

        Assert.ThrowsAsync<InvalidOperationException>(() => board.Driver.SetVariableAsync("apsta", 1));
    }

    private static EmulatedCyw43Board Booted(Action<Drivers.Cyw43.Emulation.Cyw43Emulator>? configure = null)
    {
        var board = new EmulatedCyw43Board(configure);
        board.Boot();
        return board;
    }

    private static void Run(EmulatedCyw43Board board, Task task) => VirtualTime.Run(board.Clock, task);

    private static T Run<T>(EmulatedCyw43Board board, Task<T> task)
    {
        VirtualTime.Run(board.Clock, task);
        return task.Result;
    }
}
