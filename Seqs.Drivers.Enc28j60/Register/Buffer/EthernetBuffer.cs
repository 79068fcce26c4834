namespace Seqs.Drivers.Enc28j60.Register.Buffer;

/// <summary>The 8-Kbyte dual-port packet buffer (DS39662E §3.2) and the layout the driver gives it.</summary>
internal static class EthernetBuffer
{
    public const int Size = 0x2000;

    /// <summary>Highest buffer address; EWRPT and ERDPT wrap from here to 0000h (§3.2.3, §4.2.2).</summary>
    public const int LastAddress = Size - 1;

    /// <summary>Errata DS80349C #5: the receive buffer must start at 0000h.</summary>
    public const int ReceiveStart = 0x0000;

    /// <summary>The receive FIFO ends here inclusive: 6656 bytes, four full-size frames with their status vectors.</summary>
    public const int ReceiveEnd = 0x19FF;

    /// <summary>
    /// The transmit buffer: one per-packet control byte, up to 1514 frame bytes (the MAC appends the CRC) and the
    /// 7-byte status vector written after ETXND (§7.1): 1522 of the 1536 bytes left.
    /// </summary>
    public const int TransmitStart = ReceiveEnd + 1;

    public const int ReceiveSize = ReceiveEnd - ReceiveStart + 1;

    /// <summary>Distance from <paramref name="from"/> forward to <paramref name="to"/> inside the receive FIFO.</summary>
    public static int ReceiveDistance(int from, int to) => to >= from ? to - from : to - from + ReceiveSize;

    /// <summary>
    /// ERXRDPT for a read position: the address just behind it, or ERXND when that would fall before ERXST (errata
    /// DS80349C #14 workaround, as Linux's erxrdpt_workaround). Packets start on even addresses (§7.2.2), so it is
    /// always odd, as errata #14 requires.
    /// </summary>
    public static int ReceiveReadPointerFor(int nextPacket) => nextPacket == ReceiveStart ? ReceiveEnd : nextPacket - 1;
}
