using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Phy;
using Seqs.Drivers.Enc28j60.Register.Spi;

namespace Seqs.Drivers.Enc28j60;

public sealed partial class Enc28j60
{
    /// <summary>MISTAT.BUSY polls before a PHY access counts as failed: each poll is at least 24 SPI clocks, and BUSY
    /// lasts 10.24 µs (§3.3.1), so 100 polls outlast it at any clock up to 20 MHz plus bank switches.</summary>
    private const int MaxMiiPolls = 100;

    /// <summary>One opcode, one control byte, the largest frame: the longest exchange the driver makes.</summary>
    private const int MaxExchange = 2 + MaxReceivedByteCount + 1;

    // Every exchange is built in these, so that no frame allocates. _readCommand is RBM followed by zeros.
    private readonly byte[] _command = new byte[3];
    private readonly byte[] _reply = new byte[3];
    private readonly byte[] _readCommand = CreateReadCommand();
    private readonly byte[] _transfer = new byte[MaxExchange];
    private int _bank = -1;

    private static byte[] CreateReadCommand()
    {
        var command = new byte[MaxExchange];
        command[0] = Opcode.ReadBufferMemory;
        return command;
    }

    /// <summary>RCR; a MAC or MII register's value follows a dummy byte (§4.2.1, Figure 4-4).</summary>
    private byte Read(ControlRegister register)
    {
        SelectBankOf(register);
        bool dummy = ControlRegisterMap.IsMacOrMii(register.Bank(), register.Address());
        int length = dummy ? 3 : 2;
        _command[0] = (byte)(Opcode.ReadControlRegister | register.Address());
        _command[1] = 0;
        _command[2] = 0;
        _spi.Exchange(_command.AsSpan(0, length), _reply.AsSpan(0, length));
        return _reply[length - 1];
    }

    private void Write(ControlRegister register, byte value)
    {
        SelectBankOf(register);
        Command(Opcode.WriteControlRegister, register, value);
    }

    /// <summary>Low byte first: ERXRDPT takes both bytes when its high byte is written (reference §2).</summary>
    private void WritePair(ControlRegister low, int value)
    {
        Write(low, (byte)value);
        Write(low.Next(), (byte)(value >> 8));
    }

    /// <summary>BFS, ETH registers only (§4.2.5).</summary>
    private void SetBits(ControlRegister register, byte mask)
    {
        SelectBankOf(register);
        Command(Opcode.BitFieldSet, register, mask);
    }

    /// <summary>BFC, ETH registers only (§4.2.6).</summary>
    private void ClearBits(ControlRegister register, byte mask)
    {
        SelectBankOf(register);
        Command(Opcode.BitFieldClear, register, mask);
    }

    private void Command(byte opcode, ControlRegister register, byte data)
    {
        _command[0] = (byte)(opcode | register.Address());
        _command[1] = data;
        _spi.Exchange(_command.AsSpan(0, 2), default);
    }

    /// <summary>
    /// Switches ECON1.BSEL with BFS/BFC only, never a WCR of ECON1, which could clear TXRTS of a frame in flight.
    /// </summary>
    private void SelectBankOf(ControlRegister register)
    {
        if (register.IsCommon())
            return;
        int bank = register.Bank();
        if (bank == _bank)
            return;
        int current = _bank < 0 ? Econ1.BankSelect : _bank;
        if ((current & ~bank) != 0)
            Command(Opcode.BitFieldClear, ControlRegister.Econ1, (byte)(current & ~bank));
        if ((bank & ~current) != 0)
            Command(Opcode.BitFieldSet, ControlRegister.Econ1, (byte)(bank & ~current));
        _bank = bank;
    }

    /// <summary>RBM of <paramref name="count"/> bytes from ERDPT into <see cref="_transfer"/> from index 1.</summary>
    private Span<byte> ReadBuffer(int count)
    {
        _spi.Exchange(_readCommand.AsSpan(0, count + 1), _transfer.AsSpan(0, count + 1));
        return _transfer.AsSpan(1, count);
    }

    /// <summary>§3.3.1: MIREGADR, MICMD.MIIRD, wait for BUSY to clear, clear MIIRD, read MIRDL and MIRDH.</summary>
    private ushort ReadPhy(PhyRegister register)
    {
        Write(ControlRegister.Miregadr, (byte)register);
        Write(ControlRegister.Micmd, Mii.MiiRd);
        WaitForMii();
        Write(ControlRegister.Micmd, 0);
        return (ushort)(Read(ControlRegister.Mirdl) | Read(ControlRegister.Mirdh) << 8);
    }

    /// <summary>§3.3.2: MIREGADR, MIWRL, then MIWRH, which starts the write; wait for BUSY to clear.</summary>
    private void WritePhy(PhyRegister register, ushort value)
    {
        Write(ControlRegister.Miregadr, (byte)register);
        Write(ControlRegister.Miwrl, (byte)value);
        Write(ControlRegister.Miwrh, (byte)(value >> 8));
        WaitForMii();
    }

    private void WaitForMii()
    {
        for (int poll = 0; poll < MaxMiiPolls; poll++)
        {
            if ((Read(ControlRegister.Mistat) & Mii.Busy) == 0)
                return;
        }
        throw new IOException($"The ENC28J60 on {_busName} kept MISTAT.BUSY set for {MaxMiiPolls} polls; the PHY does not answer.");
    }
}
