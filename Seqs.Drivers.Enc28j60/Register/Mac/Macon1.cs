namespace Seqs.Drivers.Enc28j60.Register.Mac;

/// <summary>MACON1, MAC control register 1 (DS39662E §6.5, Register 6-1), bank 2 00h.</summary>
internal readonly struct Macon1(byte value)
{
    /// <summary>TXPAUS: send pause frames (full duplex flow control).</summary>
    public const byte TxPaus = 0x08;

    /// <summary>RXPAUS: obey received pause frames.</summary>
    public const byte RxPaus = 0x04;

    public const byte PassAll = 0x02;

    /// <summary>MARXEN: the MAC receives frames.</summary>
    public const byte MarxEn = 0x01;

    public bool ReceiveEnabled => (value & MarxEn) != 0;

    public byte ToByte() => value;
}
