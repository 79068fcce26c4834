namespace Seqs.Drivers.Enc28j60.Register.Spi;

/// <summary>
/// The SPI instruction set (DS39662E §4.2, Table 4-1): a 3-bit opcode in bits 7-5 of the first byte, then a
/// 5-bit argument (a register address, or the constant 1Ah for the buffer commands, or all ones for SRC).
/// </summary>
internal static class Opcode
{
    /// <summary>RCR <c>000aaaaa</c>: one register; a MAC or MII register shifts out a dummy byte first (§4.2.1).</summary>
    public const byte ReadControlRegister = 0x00;

    /// <summary>RBM <c>00111010</c>: streams the buffer from ERDPT while CS stays low (§4.2.2).</summary>
    public const byte ReadBufferMemory = 0x3A;

    /// <summary>WCR <c>010aaaaa</c> + one data byte (§4.2.3).</summary>
    public const byte WriteControlRegister = 0x40;

    /// <summary>WBM <c>01111010</c> + a stream of data written from EWRPT (§4.2.4).</summary>
    public const byte WriteBufferMemory = 0x7A;

    /// <summary>BFS <c>100aaaaa</c> + mask, ORed into an ETH register only (§4.2.5).</summary>
    public const byte BitFieldSet = 0x80;

    /// <summary>BFC <c>101aaaaa</c> + mask, cleared from an ETH register only (§4.2.6).</summary>
    public const byte BitFieldClear = 0xA0;

    /// <summary>SRC <c>11111111</c>: system reset (§4.2.7, §11.2).</summary>
    public const byte SystemReset = 0xFF;

    /// <summary>Bits 7-5 of the first byte.</summary>
    public const byte OpcodeMask = 0xE0;

    /// <summary>Bits 4-0 of the first byte.</summary>
    public const byte ArgumentMask = 0x1F;
}
