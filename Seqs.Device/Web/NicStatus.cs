namespace Seqs.Device.Web;

/// <summary>The NIC and its driver's own counts, in <c>/api/status</c> and <c>/api/stats</c>.</summary>
public sealed class NicStatus
{
    /// <summary>"TAP tap0", "ENC28J60 rev 06h on SPI bus 0, chip select 0", ….</summary>
    public string? Description { get; set; }

    public long FramesReceived { get; set; }

    public long FramesTransmitted { get; set; }

    /// <summary>Frames the NIC lost on receive: CRC and length errors, overflows.</summary>
    public long ReceiveErrors { get; set; }

    /// <summary>Frames the NIC could not send, or dropped for back-pressure or a down link.</summary>
    public long TransmitErrors { get; set; }

    /// <summary>The Wi-Fi signal of the joined network in dBm, as the chip last measured it; null for a wired NIC.</summary>
    public int? RssiDbm { get; set; }
}
