using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Phy;
using Seqs.Drivers.Enc28j60.Register.Spi;
using Seqs.Hal;

namespace Seqs.Drivers.Enc28j60;

/// <summary>
/// The ENC28J60's SPI instruction set (DS39662E §4.2) on one bus: register reads and writes with the bank kept in
/// ECON1.BSEL, buffer memory, the PHY behind MII, and the reset; each operation one chip-select frame. The driver
/// and <see cref="Enc28j60WiringProbe"/> both speak through it. Does not own the bus. See docs/reference/enc28j60.md.
/// </summary>
internal sealed class Enc28j60Bus
{
    /// <summary>
    /// ESTAT polls after a reset. Errata DS80349C #2: CLKRDY is set too early, so the driver also waits 1 ms. With a
    /// clock that does not move (a simulation), the polls bound the wait: 2000 polls of 16 SPI clocks take at least
    /// 1.6 ms at 20 MHz, so the bound alone is never shorter than the errata's millisecond.
    /// </summary>
    public const int MaxResetPolls = 2000;

    private static readonly TimeSpan ResetWait = TimeSpan.FromMilliseconds(1);

    /// <summary>MISTAT.BUSY polls before a PHY access counts as failed: each poll is at least 24 SPI clocks, and BUSY
    /// lasts 10.24 µs (§3.3.1), so 100 polls outlast it at any clock up to 20 MHz plus bank switches.</summary>
    private const int MaxMiiPolls = 100;

    /// <summary>One opcode, one control byte, the largest frame: the longest exchange the driver makes.</summary>
    private const int MaxExchange = 2 + Enc28j60.StandardMaxFrameSize + 4 + 1;

    // Every exchange is built in these, so that no frame allocates. _readCommand is RBM followed by zeros.
    private readonly byte[] _command = new byte[3];
    private readonly byte[] _reply = new byte[3];
    private readonly byte[] _readCommand = CreateReadCommand();
    private readonly byte[] _transfer = new byte[MaxExchange];
    private readonly TimeProvider _time;
    private int _bank = -1;

    public Enc28j60Bus(ISpiBus spi, string busName, TimeProvider time)
    {
        Spi = spi;
        BusName = busName;
        _time = time;
    }

    public ISpiBus Spi { get; }

    /// <summary>Names the bus in errors, such as "SPI bus 0, chip select 0".</summary>
    public string BusName { get; }

    private static byte[] CreateReadCommand()
    {
        var command = new byte[MaxExchange];
        command[0] = Opcode.ReadBufferMemory;
        return command;
    }

    /// <summary>RCR; a MAC or MII register's value follows a dummy byte (§4.2.1, Figure 4-4).</summary>
    public byte Read(ControlRegister register)
    {
        SelectBankOf(register);
        bool dummy = ControlRegisterMap.IsMacOrMii(register.Bank(), register.Address());
        int length = dummy ? 3 : 2;
        _command[0] = (byte)(Opcode.ReadControlRegister | register.Address());
        _command[1] = 0;
        _command[2] = 0;
        Spi.Exchange(_command.AsSpan(0, length), _reply.AsSpan(0, length));
        return _reply[length - 1];
    }

    public void Write(ControlRegister register, byte value)
    {
        SelectBankOf(register);
        Command(Opcode.WriteControlRegister, register, value);
        if (register == ControlRegister.Econ1)
            _bank = value & Econ1.BankSelect; // a WCR of ECON1 writes BSEL too
    }

    /// <summary>Low byte first: §7.2.4 requires it of ERXRDPT, which takes both bytes when its high byte is written.</summary>
    public void WritePair(ControlRegister low, int value)
    {
        Write(low, (byte)value);
        Write(low.Next(), (byte)(value >> 8));
    }

    /// <summary>BFS, ETH registers only (§4.2.5).</summary>
    public void SetBits(ControlRegister register, byte mask)
    {
        SelectBankOf(register);
        Command(Opcode.BitFieldSet, register, mask);
    }

    /// <summary>BFC, ETH registers only (§4.2.6).</summary>
    public void ClearBits(ControlRegister register, byte mask)
    {
        SelectBankOf(register);
        Command(Opcode.BitFieldClear, register, mask);
    }

    private void Command(byte opcode, ControlRegister register, byte data)
    {
        _command[0] = (byte)(opcode | register.Address());
        _command[1] = data;
        Spi.Exchange(_command.AsSpan(0, 2), default);
    }

    /// <summary>
    /// Switches ECON1.BSEL with BFS/BFC only, never a WCR of ECON1, which could clear TXRTS of a frame in flight.
    /// Before the first reset the bank is unknown, and both bits are set as needed.
    /// </summary>
    private void SelectBankOf(ControlRegister register)
    {
        if (register.IsCommon())
            return;
        int bank = register.Bank();
        if (bank == _bank)
            return;
        int clear = (_bank < 0 ? Econ1.BankSelect : _bank) & ~bank;
        int set = _bank < 0 ? bank : bank & ~_bank;
        if (clear != 0)
            Command(Opcode.BitFieldClear, ControlRegister.Econ1, (byte)clear);
        if (set != 0)
            Command(Opcode.BitFieldSet, ControlRegister.Econ1, (byte)set);
        _bank = bank;
    }

    /// <summary>RBM of <paramref name="count"/> bytes from ERDPT into <see cref="_transfer"/> from index 1.</summary>
    public Span<byte> ReadBuffer(int count)
    {
        Spi.Exchange(_readCommand.AsSpan(0, count + 1), _transfer.AsSpan(0, count + 1));
        return _transfer.AsSpan(1, count);
    }

    /// <summary>§3.3.1: MIREGADR, MICMD.MIIRD, wait for BUSY to clear, clear MIIRD, read MIRDL and MIRDH.</summary>
    public ushort ReadPhy(PhyRegister register)
    {
        Write(ControlRegister.Miregadr, (byte)register);
        Write(ControlRegister.Micmd, Mii.MiiRd);
        WaitForMii();
        Write(ControlRegister.Micmd, 0);
        return (ushort)(Read(ControlRegister.Mirdl) | Read(ControlRegister.Mirdh) << 8);
    }

    /// <summary>§3.3.2: MIREGADR, MIWRL, then MIWRH, which starts the write; wait for BUSY to clear.</summary>
    public void WritePhy(PhyRegister register, ushort value)
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
        throw new IOException($"The ENC28J60 on {BusName} kept MISTAT.BUSY set for {MaxMiiPolls} polls; the PHY does not answer.");
    }

    /// <summary>
    /// Errata DS80349C #19: a System Reset Command does nothing while ECON2.PWRSV is set, and Linux's enc28j60 leaves
    /// the chip in power save at probe and when the interface goes down (enc28j60_lowpower), so a warm reboot finds it
    /// there. So PWRSV is cleared, and the oscillator waited for (CLKRDY, and at least 1 ms), before the SRC (§11.2);
    /// then CLKRDY is waited for again. A chip that is not in power save costs one read more. Returns whether CLKRDY
    /// was set at the end.
    /// </summary>
    public bool ResetChip()
    {
        if ((Read(ControlRegister.Econ2) & Econ2.PwrSv) != 0)
        {
            ClearBits(ControlRegister.Econ2, Econ2.PwrSv);
            WaitForClockReady();
        }
        _command[0] = Opcode.SystemReset;
        Spi.Exchange(_command.AsSpan(0, 1), default);
        _bank = 0; // ECON1 resets to 00h.
        return WaitForClockReady();
    }

    /// <summary>Polls ESTAT.CLKRDY, at least 1 ms (errata #2) and at most <see cref="MaxResetPolls"/> polls.</summary>
    public bool WaitForClockReady()
    {
        long start = _time.GetTimestamp();
        bool ready = false;
        for (int poll = 0; poll < MaxResetPolls; poll++)
        {
            ready = (Read(ControlRegister.Estat) & Estat.ClkRdy) != 0;
            if (ready && _time.GetElapsedTime(start) >= ResetWait)
                break;
        }
        return ready;
    }

    /// <summary>A WCR of ECON1: all its bits at once, the bank select with them.</summary>
    public void WriteEcon1(byte value)
    {
        _command[0] = (byte)(Opcode.WriteControlRegister | ControlRegister.Econ1.Address());
        _command[1] = value;
        Spi.Exchange(_command.AsSpan(0, 2), default);
        _bank = value & Econ1.BankSelect;
    }

    /// <summary>WBM at EWRPT: the per-packet control byte, then <paramref name="frame"/>, in one exchange (§4.2.4).</summary>
    public void WriteBuffer(byte control, ReadOnlySpan<byte> frame)
    {
        _transfer[0] = Opcode.WriteBufferMemory;
        _transfer[1] = control;
        frame.CopyTo(_transfer.AsSpan(2));
        Spi.Exchange(_transfer.AsSpan(0, 2 + frame.Length), default);
    }
}
