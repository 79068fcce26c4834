namespace Seqs.Drivers.Enc28j60.Register.Control;

/// <summary>ESTAT, Ethernet status (DS39662E §12.1), 1Dh in every bank; read-only to the host.</summary>
internal readonly struct Estat(byte value)
{
    /// <summary>INT: a copy of the INT pin's logic (an enabled interrupt is pending).</summary>
    public const byte Int = 0x80;

    /// <summary>LATECOL: unreliable (errata DS80349C #15); the driver reads TSV bit 29 instead.</summary>
    public const byte LateCol = 0x10;

    /// <summary>RXBUSY: the receive logic is receiving a packet.</summary>
    public const byte RxBusy = 0x04;

    /// <summary>TXABRT: the last transmission was aborted.</summary>
    public const byte TxAbrt = 0x02;

    /// <summary>CLKRDY: the oscillator start-up timer has expired; set too early after a reset (errata #2).</summary>
    public const byte ClkRdy = 0x01;

    public bool ReceiveBusy => (value & RxBusy) != 0;

    public bool TransmitAborted => (value & TxAbrt) != 0;

    public bool ClockReady => (value & ClkRdy) != 0;

    public byte ToByte() => value;
}
