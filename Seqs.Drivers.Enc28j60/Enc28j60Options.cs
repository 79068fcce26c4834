using Seqs.Wire;

namespace Seqs.Drivers.Enc28j60;

/// <summary>Settings of an <see cref="Enc28j60"/>; the defaults suit a Raspberry Pi on a switch port forced to full duplex.</summary>
public sealed record Enc28j60Options
{
    /// <summary>
    /// The station address. The chip has none of its own; null picks a random locally administered unicast address
    /// (as Linux's enc28j60 does without a device-tree address), from <see cref="RandomSeed"/> when set.
    /// </summary>
    public MacAddress? MacAddress { get; init; }

    public int? RandomSeed { get; init; }

    public DuplexMode Duplex { get; init; } = DuplexMode.Full;

    /// <summary>Accept multicast destinations (ERXFCON.MCEN); the stack filters groups itself.</summary>
    public bool AcceptMulticast { get; init; } = true;

    /// <summary>Accept every frame with a good CRC (ERXFCON = CRCEN only).</summary>
    public bool Promiscuous { get; init; }

    /// <summary>PHLCON (DS39662E Register 2-2): 3476h shows link on LEDA and activity on LEDB.</summary>
    public ushort LedConfiguration { get; init; } = 0x3476;

    /// <summary>Clock for the transmit timeout and the poll intervals; the loop's clock in a simulation.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Without an interrupt line, how often an idle loop is woken to poll the packet count.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// How often the driver checks EPKTCNT and EIR even though INT stayed high (errata DS80349C #6), or, without an
    /// interrupt line, how often it checks EIR for link changes and errors.
    /// </summary>
    public TimeSpan StatusPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long TXRTS may stay set before the frame counts as stalled and the transmit logic is reset. In full duplex a
    /// switch may hold the MAC with a PAUSE frame for up to 65535 × 512 bit times, 3.36 s at 10 Mb/s (IEEE 802.3
    /// Annex 31B); the default is Linux's enc28j60 TX_TIMEOUT, 4 s. A timeout of <see cref="MaxPauseTime"/> or less
    /// leaves MACON1.RXPAUS off, so that the chip ignores PAUSE frames rather than have frames cut off by the timeout.
    /// </summary>
    public TimeSpan TransmitTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The longest PAUSE a link partner may ask for: 65535 quanta of 512 bit times at 10 Mb/s.</summary>
    public static TimeSpan MaxPauseTime { get; } = TimeSpan.FromTicks(65535L * 512); // a bit time at 10 Mb/s is 100 ns, one tick

    /// <summary>
    /// PHCON1.PLOOPBK (DS39662E Table 3-3): every frame sent comes back to the receiver and none reaches the wire,
    /// whatever the link ("the twisted-pair interface will be disabled"); for self-tests such as <c>seqs-device doctor</c>.
    /// </summary>
    public bool PhyLoopback { get; init; }

    /// <summary>Names the bus in errors, such as "SPI bus 0, chip select 0"; the bus's own text when null.</summary>
    public string? BusName { get; init; }

    internal void Validate()
    {
        if (PollInterval <= TimeSpan.Zero || StatusPollInterval <= TimeSpan.Zero || TransmitTimeout <= TimeSpan.Zero)
            throw new ArgumentException("Poll intervals and the transmit timeout must be positive.");
        if (TimeProvider is null)
            throw new ArgumentException("A TimeProvider is required.");
        if (MacAddress is { } address && (address.IsMulticast || address == Wire.MacAddress.Zero))
            throw new ArgumentException($"{address} cannot be a station address.");
    }
}
