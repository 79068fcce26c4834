namespace Seqs.Drivers.Enc28j60.Register.Phy;

/// <summary>MII management bits (DS39662E §3.3): MICMD (Register 3-3) and MISTAT (Register 3-4).</summary>
internal static class Mii
{
    /// <summary>MICMD.MIIRD: starts a PHY read of MIREGADR into MIRD (§3.3.1); the host clears it afterwards.</summary>
    public const byte MiiRd = 0x01;

    /// <summary>MICMD.MIISCAN: continuous reads; unused.</summary>
    public const byte MiiScan = 0x02;

    /// <summary>MISTAT.BUSY: a PHY read or write is under way, 10.24 µs (§3.3.1, §3.3.2).</summary>
    public const byte Busy = 0x01;

    public const byte Scan = 0x02;

    public const byte NValid = 0x04;
}
