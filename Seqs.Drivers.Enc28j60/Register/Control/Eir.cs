namespace Seqs.Drivers.Enc28j60.Register.Control;

/// <summary>EIR, Ethernet interrupt request flags (DS39662E §12.1), 1Ch in every bank.</summary>
internal readonly struct Eir(byte value)
{
    /// <summary>PKTIF: EPKTCNT is not zero; read-only and unreliable (errata DS80349C #6), so never polled.</summary>
    public const byte PktIf = 0x40;

    public const byte DmaIf = 0x20;

    /// <summary>LINKIF: read-only; cleared by reading PHIR (§12.1.5).</summary>
    public const byte LinkIf = 0x10;

    /// <summary>TXIF: a transmission ended, sent or aborted (§7.1).</summary>
    public const byte TxIf = 0x08;

    /// <summary>TXERIF: a transmission was aborted (§12.1.3).</summary>
    public const byte TxErIf = 0x02;

    /// <summary>RXERIF: a packet was dropped for lack of buffer space or because EPKTCNT was 255 (§12.1.2).</summary>
    public const byte RxErIf = 0x01;

    public bool PacketPending => (value & PktIf) != 0;

    public bool LinkChanged => (value & LinkIf) != 0;

    public bool TransmitDone => (value & TxIf) != 0;

    public bool TransmitError => (value & TxErIf) != 0;

    public bool ReceiveError => (value & RxErIf) != 0;

    public byte ToByte() => value;
}
