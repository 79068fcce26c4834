namespace Seqs.Drivers.Enc28j60.Emulation;

/// <summary>The IEEE 802.3 frame check sequence (CRC-32, reflected polynomial EDB88320h), as the MAC appends it.</summary>
internal static class EthernetCrc
{
    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFF_FFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? crc >> 1 ^ 0xEDB8_8320 : crc >> 1;
        }
        return ~crc;
    }
}
