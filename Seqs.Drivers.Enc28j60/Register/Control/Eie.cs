namespace Seqs.Drivers.Enc28j60.Register.Control;

/// <summary>EIE, Ethernet interrupt enable (DS39662E §12.1), 1Bh in every bank.</summary>
internal readonly struct Eie(byte value)
{
    /// <summary>INTIE: global enable of the INT pin.</summary>
    public const byte IntIe = 0x80;

    public const byte PktIe = 0x40;

    public const byte DmaIe = 0x20;

    /// <summary>LINKIE: also needs PHIE.PGEIE and PHIE.PLNKIE (§12.1.5).</summary>
    public const byte LinkIe = 0x10;

    public const byte TxIe = 0x08;

    public const byte TxErIe = 0x02;

    public const byte RxErIe = 0x01;

    public bool GlobalEnable => (value & IntIe) != 0;

    public byte ToByte() => value;
}
