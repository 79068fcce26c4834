namespace Seqs.Drivers.Enc28j60.Register.Phy;

/// <summary>PHCON2, PHY control register 2 (DS39662E §3.3, Table 3-3), PHY 10h.</summary>
internal readonly struct Phcon2(ushort value)
{
    public const ushort FrcLink = 0x4000;

    public const ushort TxDis = 0x2000;

    public const ushort Jabber = 0x0400;

    /// <summary>HDLDIS: no half-duplex loopback of transmitted frames (errata DS80349C #9).</summary>
    public const ushort HdlDis = 0x0100;

    public bool LoopbackDisabled => (value & HdlDis) != 0;

    public ushort ToUInt16() => value;
}
