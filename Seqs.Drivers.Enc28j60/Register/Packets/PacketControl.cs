namespace Seqs.Drivers.Enc28j60.Register.Packets;

/// <summary>The per-packet control byte written at ETXST before each frame (DS39662E §7.1, Figure 7-1).</summary>
internal static class PacketControl
{
    public const byte PHugeEn = 0x08;

    public const byte PPadEn = 0x04;

    public const byte PCrcEn = 0x02;

    /// <summary>POVERRIDE: 1 = PHUGEEN, PPADEN and PCRCEN apply; 0 = MACON3 decides.</summary>
    public const byte POverride = 0x01;

    /// <summary>What the driver writes: padding and CRC as MACON3 configures them.</summary>
    public const byte UseMacon3 = 0x00;
}
