namespace Seqs.Drivers.Enc28j60;

/// <summary>The ENC28J60 did not answer on its bus: EREVID read 00h or FFh, which no silicon revision has.</summary>
public sealed class ChipNotRespondingException : IOException
{
    public ChipNotRespondingException(string busName, byte revisionRead)
        : base($"No ENC28J60 answered on {busName}: EREVID read {revisionRead:X2}h (00h or FFh means MISO is idle). " +
            "Check power (3.3 V), the wiring of SCK, MOSI, MISO and CS, the chip select number, and SPI mode 0.")
    {
        BusName = busName;
        RevisionRead = revisionRead;
    }

    public string BusName { get; }

    public byte RevisionRead { get; }
}
