namespace Seqs.Drivers.Enc28j60.Register.Phy;

/// <summary>
/// The PHY registers, reached through the MII interface (MIREGADR, MICMD, MIWR, MIRD, MISTAT; DS39662E §3.3,
/// Table 3-3). They are 16 bits wide.
/// </summary>
internal enum PhyRegister : byte
{
    Phcon1 = 0x00,
    Phstat1 = 0x01,
    Phid1 = 0x02,
    Phid2 = 0x03,
    Phcon2 = 0x10,
    Phstat2 = 0x11,
    Phie = 0x12,
    Phir = 0x13,
    Phlcon = 0x14,
}
