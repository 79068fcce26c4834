using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Phy;
using Seqs.Hal;

namespace Seqs.Drivers.Enc28j60;

/// <summary>
/// Single checks of the wiring between a host and an ENC28J60, one register access at a time, for a diagnosis that
/// names the first thing wrong (<c>seqs-device doctor</c>): unlike the driver, which stops at the first fault, each
/// check works on whatever the bus returns. The probe does not own the bus or the lines. Register values: DS39662E
/// Table 3-2, and docs/reference/enc28j60.md.
/// </summary>
public sealed class Enc28j60WiringProbe
{
    private readonly Enc28j60Bus _bus;
    private readonly IDigitalLine? _interrupt;
    private readonly IDigitalLine? _reset;

    /// <param name="interrupt">The INT pin (active low), or null when it is not wired.</param>
    /// <param name="reset">The RESET pin (active low), or null when it is not wired.</param>
    public Enc28j60WiringProbe(ISpiBus spi, IDigitalLine? interrupt = null, IDigitalLine? reset = null, TimeProvider? time = null)
    {
        if (spi is null)
            throw new ArgumentNullException(nameof(spi));
        _bus = new Enc28j60Bus(spi, spi.ToString() ?? "the SPI bus", time ?? TimeProvider.System);
        _interrupt = interrupt;
        _reset = reset;
    }

    /// <summary>
    /// Registers whose reset values (DS39662E Table 3-2) differ from one another and from 00h and FFh, so that a
    /// MISO line that does not follow the chip cannot read them all right.
    /// </summary>
    private static readonly (ControlRegister Register, string Name, byte Value)[] ResetValues =
    [
        (ControlRegister.Erdpt, "ERDPTL", 0xFA),
        (ControlRegister.Erdpt.Next(), "ERDPTH", 0x05),
        (ControlRegister.Erxnd.Next(), "ERXNDH", 0x1F),
        (ControlRegister.Erxfcon, "ERXFCON", 0xA1),
    ];

    /// <summary>Leaves power save (errata #19) and sends the System Reset Command; true when CLKRDY set afterwards.</summary>
    public bool ResetChip() => _bus.ResetChip();

    /// <summary>EREVID (bank 3, 12h): 02h B1, 04h B4, 05h B5, 06h B7; 00h or FFh is what an idle MISO line reads.</summary>
    public byte ReadRevision() => _bus.Read(ControlRegister.Erevid);

    /// <summary>
    /// Right after <see cref="ResetChip"/>: reads registers with known reset values. <paramref name="level"/> is the
    /// byte every read returned when they all returned the same one (a MISO line that never moves), else null.
    /// Returns the first register read wrong as "ERDPTL read 7Ah, not FAh", or null when all read right.
    /// </summary>
    public string? ReadResetValues(out byte? level)
    {
        string? wrong = null;
        byte first = _bus.Read(ResetValues[0].Register);
        bool same = true;
        foreach (var (register, name, value) in ResetValues)
        {
            byte read = _bus.Read(register);
            same &= read == first;
            if (read != value)
                wrong ??= $"{name} read {read:X2}h, not {value:X2}h";
        }
        level = same ? first : null;
        return wrong;
    }

    /// <summary>
    /// Writes EWRPTL (a buffer pointer nothing else uses before initialisation) with 5Ah and then A5h and reads each
    /// back; returns the first mismatch as "wrote 5Ah, read back 00h", or null when both came back.
    /// </summary>
    public string? WriteAndReadBack()
    {
        foreach (byte value in new byte[] { 0x5A, 0xA5 })
        {
            _bus.Write(ControlRegister.Ewrpt, value);
            byte read = _bus.Read(ControlRegister.Ewrpt);
            if (read != value)
                return $"wrote {value:X2}h to EWRPTL, read back {read:X2}h";
        }
        return null;
    }

    /// <summary>
    /// Raises an interrupt the host may raise itself (§12: EIE.INTIE with TXIE, then EIR.TXIF set by BFS) and clears
    /// it again, reading INT each time; needs the INT line.
    /// </summary>
    public InterruptLineResponse CheckInterruptLine()
    {
        IDigitalLine line = _interrupt ?? throw new InvalidOperationException("The probe has no INT line.");
        _bus.Write(ControlRegister.Eie, 0);
        _bus.ClearBits(ControlRegister.Eir, Eir.TxIf);
        if (!line.Read())
            return InterruptLineResponse.StuckLow;
        _bus.Write(ControlRegister.Eie, Eie.IntIe | Eie.TxIe);
        _bus.SetBits(ControlRegister.Eir, Eir.TxIf);
        bool asserted = !line.Read();
        _bus.ClearBits(ControlRegister.Eir, Eir.TxIf);
        bool released = line.Read();
        _bus.Write(ControlRegister.Eie, 0);
        return !asserted ? InterruptLineResponse.NeverAsserted : released ? InterruptLineResponse.Toggles : InterruptLineResponse.StuckLow;
    }

    /// <summary>
    /// Moves EWRPT away from its reset value (0000h), pulses RESET low (§11.1) and reads EWRPT again: true when the
    /// pulse reset the chip. Needs the RESET line.
    /// </summary>
    public bool ResetLineResets()
    {
        IDigitalLine line = _reset ?? throw new InvalidOperationException("The probe has no RESET line.");
        _bus.WritePair(ControlRegister.Ewrpt, 0x155A);
        line.Write(false);
        line.Write(true);
        _bus.WaitForClockReady();
        return (_bus.Read(ControlRegister.Ewrpt) | _bus.Read(ControlRegister.Ewrpt.Next()) << 8) == 0;
    }

    /// <summary>PHSTAT2.LSTAT (§3.3.4): the PHY sees a link partner's pulses now.</summary>
    public bool IsLinkUp() => (_bus.ReadPhy(PhyRegister.Phstat2) & Phstat.LinkStatus) != 0;
}
