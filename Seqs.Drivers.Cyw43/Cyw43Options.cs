namespace Seqs.Drivers.Cyw43;

/// <summary>Settings of a <see cref="Cyw43439"/>. The timeouts are this driver's choices unless a source is named.</summary>
public sealed record Cyw43Options
{
    /// <summary>Clock for the power-up waits, the polls and their timeouts; the loop's clock in a simulation.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long the driver waits between two polls of a register.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How long after power-up the test register may take to read 0xFEEDBEAD (embassy waits forever).</summary>
    public TimeSpan BusReadyTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long ALP_AVAIL may take after the request.</summary>
    public TimeSpan AlpClockTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long HT_AVAIL may take after the WLAN core starts: about 29 ms in practice, 0.5-1 s allowed (embassy
    /// runner.rs Runner::init; docs/reference/cyw43439.md#boot-sequence step 8).
    /// </summary>
    public TimeSpan HtClockTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long F2_RX_READY may take (up to 1 s: embassy runner.rs Runner::init;
    /// docs/reference/cyw43439.md#boot-sequence step 10).
    /// </summary>
    public TimeSpan F2ReadyTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long an ioctl may wait for its answer (cyw43-driver cyw43_ll.c allows 500 ms;
    /// docs/reference/cyw43439.md#cdc-ioctl-header).
    /// </summary>
    public TimeSpan IoctlTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The regulatory country, two capital letters (ISO 3166-1), or "XX" worldwide, the default (embassy control.rs
    /// Control::init; docs/reference/cyw43439.md#initialisation step 4).
    /// </summary>
    public string Country { get; init; } = Register.Iovar.CountryInfo.Worldwide;

    /// <summary>How long a scan may take before <see cref="Cyw43439.ScanAsync"/> returns what it found (this driver's choice).</summary>
    public TimeSpan ScanTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a join may wait for its outcome in the events (this driver's choice; the handshake itself times out after 2.5 s).</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the driver rejoins on its own after a link loss (until LeaveAsync).</summary>
    public bool Rejoin { get; init; } = true;

    /// <summary>The wait before the first rejoin; it doubles after each failure (this driver's choice).</summary>
    public TimeSpan RejoinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two rejoins (this driver's choice).</summary>
    public TimeSpan RejoinMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Names the bus in errors, such as "spidev0.0"; the bus's own text when null.</summary>
    public string? BusName { get; init; }

    internal void Validate()
    {
        if (TimeProvider is null)
            throw new ArgumentException("A TimeProvider is required.");
        if (PollInterval <= TimeSpan.Zero || BusReadyTimeout <= TimeSpan.Zero || AlpClockTimeout <= TimeSpan.Zero
            || HtClockTimeout <= TimeSpan.Zero || F2ReadyTimeout <= TimeSpan.Zero || IoctlTimeout <= TimeSpan.Zero
            || ScanTimeout <= TimeSpan.Zero || JoinTimeout <= TimeSpan.Zero || RejoinDelay <= TimeSpan.Zero || RejoinMaxDelay < RejoinDelay)
            throw new ArgumentException("The poll interval, the timeouts and the rejoin delays must be positive, and the rejoin delay at most its maximum.");
        Register.Iovar.CountryInfo.Write(stackalloc byte[Register.Iovar.CountryInfo.Length], Country);
    }
}
