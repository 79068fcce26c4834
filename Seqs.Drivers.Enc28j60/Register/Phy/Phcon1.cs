namespace Seqs.Drivers.Enc28j60.Register.Phy;

/// <summary>PHCON1, PHY control register 1 (DS39662E §3.3, Table 3-3), PHY 00h.</summary>
internal readonly struct Phcon1(ushort value)
{
    /// <summary>PRST: PHY software reset; self-clearing.</summary>
    public const ushort PRst = 0x8000;

    public const ushort PLoopbk = 0x4000;

    public const ushort PPwrSv = 0x0800;

    /// <summary>PDPXMD: PHY full duplex; must match MACON3.FULDPX (§9).</summary>
    public const ushort PDpxMd = 0x0100;

    public bool FullDuplex => (value & PDpxMd) != 0;

    public ushort ToUInt16() => value;
}
