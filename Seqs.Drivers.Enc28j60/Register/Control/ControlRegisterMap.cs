namespace Seqs.Drivers.Enc28j60.Register.Control;

/// <summary>Where a <see cref="ControlRegister"/> lives (DS39662E §3.1, Table 3-1) and how it reads over SPI (§4.2.1).</summary>
internal static class ControlRegisterMap
{
    /// <summary>First of the addresses 1Bh-1Fh that every bank shares.</summary>
    public const int FirstCommonAddress = 0x1B;

    public const int BankCount = 4;

    public const int AddressesPerBank = 32;

    public static int Bank(this ControlRegister register) => (byte)register >> 5;

    public static int Address(this ControlRegister register) => (byte)register & 0x1F;

    public static bool IsCommon(this ControlRegister register) => register.Address() >= FirstCommonAddress;

    public static ControlRegister Next(this ControlRegister register) => (ControlRegister)((byte)register + 1);

    /// <summary>
    /// §4.2.1, Figure 4-4: reading a MAC or MII register shifts out a dummy byte before the data. These are bank 2
    /// 00h-19h and, in bank 3, MAADR 00h-05h and MISTAT 0Ah.
    /// </summary>
    public static bool IsMacOrMii(int bank, int address) =>
        (bank == 2 && address <= 0x19) || (bank == 3 && (address <= 0x05 || address == 0x0A));
}
