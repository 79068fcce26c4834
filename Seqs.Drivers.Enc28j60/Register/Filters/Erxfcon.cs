namespace Seqs.Drivers.Enc28j60.Register.Filters;

/// <summary>ERXFCON, receive filter control (DS39662E §8, Register 8-1), bank 1 18h; resets to A1h.</summary>
internal readonly struct Erxfcon(byte value)
{
    /// <summary>UCEN: accept frames whose destination is MAADR.</summary>
    public const byte UcEn = 0x80;

    /// <summary>ANDOR: 1 = a frame must pass every enabled filter; 0 = any one.</summary>
    public const byte AndOr = 0x40;

    /// <summary>CRCEN: discard frames with a bad CRC.</summary>
    public const byte CrcEn = 0x20;

    public const byte PmEn = 0x10;

    public const byte MpEn = 0x08;

    public const byte HtEn = 0x04;

    /// <summary>MCEN: accept frames with the multicast bit of the destination set (broadcast included).</summary>
    public const byte McEn = 0x02;

    /// <summary>BCEN: accept FF-FF-FF-FF-FF-FF.</summary>
    public const byte BcEn = 0x01;

    public bool Unicast => (value & UcEn) != 0;

    public bool RequireAll => (value & AndOr) != 0;

    public bool CrcCheck => (value & CrcEn) != 0;

    public bool Multicast => (value & McEn) != 0;

    public bool Broadcast => (value & BcEn) != 0;

    /// <summary>No address filter enabled: every frame (still subject to CRCEN) is accepted (§8, promiscuous).</summary>
    public bool Promiscuous => (value & (UcEn | PmEn | MpEn | HtEn | McEn | BcEn)) == 0;

    public byte ToByte() => value;
}
