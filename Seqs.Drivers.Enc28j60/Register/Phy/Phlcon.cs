namespace Seqs.Drivers.Enc28j60.Register.Phy;

/// <summary>PHLCON, PHY LED control (DS39662E §2.6, Register 2-2), PHY 14h; resets to 3422h.</summary>
internal static class Phlcon
{
    /// <summary>LEDA shows link status, LEDB transmit and receive activity, pulses stretched (as Linux enc28j60 does).</summary>
    public const ushort LinkAndActivity = 0x3476;
}
