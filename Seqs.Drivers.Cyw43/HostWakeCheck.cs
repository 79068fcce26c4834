namespace Seqs.Drivers.Cyw43;

/// <summary>What <see cref="Cyw43439.CheckHostWakeAsync"/> found on the host-wake line.</summary>
public enum HostWakeCheck
{
    /// <summary>No host-wake line was given: the driver polls the status word instead.</summary>
    NotWired,

    /// <summary>Low while nothing was pending, high once a frame waited, low again after the acknowledgement.</summary>
    Toggles,

    /// <summary>The line stayed low although the chip had a frame for the host.</summary>
    NeverRises,

    /// <summary>The line was high while nothing was pending, or stayed high after the acknowledgement.</summary>
    StuckHigh,
}
