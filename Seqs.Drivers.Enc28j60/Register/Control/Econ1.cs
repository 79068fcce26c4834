namespace Seqs.Drivers.Enc28j60.Register.Control;

/// <summary>ECON1, Ethernet control register 1 (DS39662E §3.1.1, Register 3-1), 1Fh in every bank.</summary>
internal readonly struct Econ1(byte value)
{
    /// <summary>TXRST: holds the transmit logic in reset (errata DS80349C #12 pulses it).</summary>
    public const byte TxRst = 0x80;

    /// <summary>RXRST: holds the receive logic in reset.</summary>
    public const byte RxRst = 0x40;

    public const byte DmaSt = 0x20;

    public const byte CsumEn = 0x10;

    /// <summary>TXRTS: set to send the packet between ETXST and ETXND; the hardware clears it when done or aborted.</summary>
    public const byte TxRts = 0x08;

    /// <summary>RXEN: packets that pass the filters are written to the receive buffer.</summary>
    public const byte RxEn = 0x04;

    /// <summary>BSEL1:BSEL0, the bank of addresses 00h-1Ah.</summary>
    public const byte BankSelect = 0x03;

    public bool TransmitReset => (value & TxRst) != 0;

    public bool ReceiveReset => (value & RxRst) != 0;

    public bool TransmitRequest => (value & TxRts) != 0;

    public bool ReceiveEnabled => (value & RxEn) != 0;

    public int Bank => value & BankSelect;

    public byte ToByte() => value;
}
