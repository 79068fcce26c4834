namespace Seqs.Drivers.Enc28j60.Register.Phy;

/// <summary>PHSTAT1 (PHY 01h) and PHSTAT2 (PHY 11h) status bits (DS39662E §3.3.4, Table 3-3).</summary>
internal static class Phstat
{
    /// <summary>PHSTAT1.PFDPX: the PHY can do full duplex.</summary>
    public const ushort FullDuplexCapable = 0x1000;

    /// <summary>PHSTAT1.PHDPX: the PHY can do half duplex.</summary>
    public const ushort HalfDuplexCapable = 0x0800;

    /// <summary>PHSTAT1.LLSTAT: latching low link status; reads 0 until read once after a link loss.</summary>
    public const ushort LatchedLinkStatus = 0x0004;

    /// <summary>PHSTAT2.LSTAT, bit 10: link up now.</summary>
    public const ushort LinkStatus = 0x0400;

    /// <summary>PHSTAT2.DPXSTAT, bit 9: the PHY is in full duplex.</summary>
    public const ushort DuplexStatus = 0x0200;
}
