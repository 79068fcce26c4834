namespace Seqs.Drivers.Enc28j60.Emulation;

/// <summary>A fault of the board around an <see cref="Enc28j60Emulator"/>, as <see cref="Enc28j60Emulator.Inject"/> wires it.</summary>
public enum Enc28j60WiringFault
{
    /// <summary>MISO shorted to 3.3 V: every byte read is FFh, while the chip still takes commands.</summary>
    MisoStuckHigh,

    /// <summary>MISO shorted to ground: every byte read is 00h, while the chip still takes commands.</summary>
    MisoStuckLow,

    /// <summary>No chip on the chip select (unpowered, or the wrong CS): MISO idles at FFh and nothing is decoded.</summary>
    NoChip,

    /// <summary>INT not connected to the host's GPIO.</summary>
    NoInterrupt,

    /// <summary>RESET not connected to the host's GPIO.</summary>
    NoReset,

    /// <summary>The 25 MHz oscillator does not start: CLKRDY never sets.</summary>
    NoClock,

    /// <summary>No cable, or a link partner that sends no link pulses.</summary>
    NoLink,
}
