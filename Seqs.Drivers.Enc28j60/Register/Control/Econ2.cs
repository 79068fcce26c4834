namespace Seqs.Drivers.Enc28j60.Register.Control;

/// <summary>ECON2, Ethernet control register 2 (DS39662E §3.1.2, Register 3-2), 1Eh in every bank; resets to 80h.</summary>
internal readonly struct Econ2(byte value)
{
    /// <summary>AUTOINC: ERDPT and EWRPT advance after each buffer byte (§3.2.3).</summary>
    public const byte AutoInc = 0x80;

    /// <summary>PKTDEC: writing 1 decrements EPKTCNT; reads as 0 (§7.2.4).</summary>
    public const byte PktDec = 0x40;

    /// <summary>PWRSV: power save (§14).</summary>
    public const byte PwrSv = 0x20;

    /// <summary>VRPS: the regulator drops to low current while PWRSV is set.</summary>
    public const byte Vrps = 0x08;

    public bool AutoIncrement => (value & AutoInc) != 0;

    public bool PowerSave => (value & PwrSv) != 0;

    public byte ToByte() => value;
}
