namespace Seqs.Drivers.Enc28j60.Register.Phy;

/// <summary>PHIE (PHY 12h) and PHIR (PHY 13h), the PHY interrupt enable and request bits (DS39662E §12.1.5).</summary>
internal static class Phie
{
    /// <summary>PHIE.PLNKIE: a link change sets PHIR.PLNKIF.</summary>
    public const ushort PLnkIe = 0x0010;

    /// <summary>PHIE.PGEIE: PHY interrupts reach EIR.LINKIF.</summary>
    public const ushort PGeIe = 0x0002;

    /// <summary>PHIR.PLNKIF: the link changed; reading PHIR clears it and EIR.LINKIF.</summary>
    public const ushort PLnkIf = 0x0010;
}
