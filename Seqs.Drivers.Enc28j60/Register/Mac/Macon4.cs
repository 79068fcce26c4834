namespace Seqs.Drivers.Enc28j60.Register.Mac;

/// <summary>MACON4, MAC control register 4 (DS39662E §6.5, Register 6-3), bank 2 03h; half duplex only.</summary>
internal readonly struct Macon4(byte value)
{
    /// <summary>DEFER: wait indefinitely for a busy medium, as IEEE 802.3 requires (§6.5 step 4).</summary>
    public const byte Defer = 0x40;

    public const byte BpEn = 0x20;

    public const byte NoBkoff = 0x10;

    public bool DefersIndefinitely => (value & Defer) != 0;

    public byte ToByte() => value;
}
