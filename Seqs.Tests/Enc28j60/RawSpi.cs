using Seqs.Drivers.Enc28j60.Emulation;

namespace Seqs.Tests.Enc28j60;

/// <summary>
/// Speaks the ENC28J60 instruction set (DS39662E Table 4-1) to the emulator with literal opcodes and addresses from
/// the datasheet, independently of the driver, so that emulator tests check the datasheet rather than the driver.
/// </summary>
internal sealed class RawSpi(Enc28j60Emulator chip)
{
    public byte[] Exchange(params byte[] transmit)
    {
        var receive = new byte[transmit.Length];
        chip.Exchange(transmit, receive);
        return receive;
    }

    public void SelectBank(int bank)
    {
        Exchange((byte)(0xA0 | 0x1F), 0x03); // BFC ECON1 BSEL1:0
        if (bank != 0)
            Exchange((byte)(0x80 | 0x1F), (byte)bank); // BFS ECON1
    }

    /// <summary>RCR of an ETH register: the data is the second byte.</summary>
    public byte ReadEth(int bank, int address)
    {
        SelectBank(bank);
        return Exchange((byte)address, 0)[1];
    }

    /// <summary>RCR of a MAC or MII register: a dummy byte, then the data.</summary>
    public byte ReadMac(int bank, int address)
    {
        SelectBank(bank);
        return Exchange((byte)address, 0, 0)[2];
    }

    public void Write(int bank, int address, byte value)
    {
        SelectBank(bank);
        Exchange((byte)(0x40 | address), value);
    }

    public void WritePair(int bank, int lowAddress, int value)
    {
        Write(bank, lowAddress, (byte)value);
        Write(bank, lowAddress + 1, (byte)(value >> 8));
    }

    public int ReadPair(int bank, int lowAddress) => ReadEth(bank, lowAddress) | ReadEth(bank, lowAddress + 1) << 8;

    public byte[] ReadBuffer(int count) => Exchange([0x3A, .. new byte[count]])[1..];

    public void WriteBuffer(params byte[] data) => Exchange([0x7A, .. data]);

    public ushort ReadPhy(int register)
    {
        Write(2, 0x14, (byte)register); // MIREGADR
        Write(2, 0x12, 0x01); // MICMD.MIIRD
        while ((ReadMac(3, 0x0A) & 0x01) != 0) // MISTAT.BUSY
        {
        }
        Write(2, 0x12, 0x00);
        return (ushort)(ReadMac(2, 0x18) | ReadMac(2, 0x19) << 8);
    }

    public void WritePhy(int register, ushort value)
    {
        Write(2, 0x14, (byte)register);
        Write(2, 0x16, (byte)value);
        Write(2, 0x17, (byte)(value >> 8));
        while ((ReadMac(3, 0x0A) & 0x01) != 0)
        {
        }
    }
}
