namespace Seqs.Drivers.Enc28j60;

/// <summary>How the host's INT line answered when <see cref="Enc28j60WiringProbe.CheckInterruptLine"/> raised an interrupt.</summary>
public enum InterruptLineResponse
{
    /// <summary>High at rest, low while the interrupt was raised, high again after: INT is wired.</summary>
    Toggles,

    /// <summary>Stayed high: INT does not reach the host's GPIO.</summary>
    NeverAsserted,

    /// <summary>Low with no interrupt raised: the GPIO is held low, or it is not the pin INT is wired to.</summary>
    StuckLow,
}
