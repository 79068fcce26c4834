namespace Seqs.Drivers.Enc28j60.Register.Mac;

/// <summary>MACON3, MAC control register 3 (DS39662E §6.5, Register 6-2), bank 2 02h.</summary>
internal readonly struct Macon3(byte value)
{
    public const byte PadCfg2 = 0x80;

    public const byte PadCfg1 = 0x40;

    /// <summary>PADCFG2:0 = 001: pad short frames to 60 bytes and append a valid CRC (§6.5, Register 6-2).</summary>
    public const byte PadCfg0 = 0x20;

    /// <summary>TXCRCEN: the MAC appends the CRC.</summary>
    public const byte TxCrcEn = 0x10;

    public const byte PhdrEn = 0x08;

    public const byte HfrmEn = 0x04;

    /// <summary>FRMLNEN: check the type/length field against the frame length.</summary>
    public const byte FrmLnEn = 0x02;

    /// <summary>FULDPX: full duplex; PHCON1.PDPXMD must match (§9).</summary>
    public const byte FulDpx = 0x01;

    public const byte PadMask = PadCfg2 | PadCfg1 | PadCfg0;

    /// <summary>Whether the MAC pads frames shorter than 60 bytes (any PADCFG other than x00).</summary>
    public bool PadsShortFrames => (value & (PadCfg1 | PadCfg0)) != 0;

    public bool AppendsCrc => (value & TxCrcEn) != 0;

    public bool FullDuplex => (value & FulDpx) != 0;

    public byte ToByte() => value;
}
