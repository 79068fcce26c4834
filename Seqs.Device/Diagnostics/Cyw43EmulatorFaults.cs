using Seqs.Drivers.Cyw43.Emulation;

namespace Seqs.Device.Diagnostics;

/// <summary>The names <c>--emulator-fault</c> takes and what each does to the emulated chip.</summary>
internal static class Cyw43EmulatorFaults
{
    /// <summary>Another chip's ID (CYW4373, 0x4373) for <see cref="Cyw43EmulatorFault.WrongChip"/>.</summary>
    private const ushort OtherChipId = 0x4373;

    private static readonly (string Name, Cyw43EmulatorFault Fault)[] Names =
    [
        ("no-chip", Cyw43EmulatorFault.NoChip),
        ("bit-shift", Cyw43EmulatorFault.BitShift),
        ("wrong-chip", Cyw43EmulatorFault.WrongChip),
        ("no-firmware-start", Cyw43EmulatorFault.NoFirmwareStart),
        ("no-f2-ready", Cyw43EmulatorFault.NoF2Ready),
        ("bad-clm", Cyw43EmulatorFault.BadClm),
        ("no-host-wake", Cyw43EmulatorFault.NoHostWake),
        ("no-networks", Cyw43EmulatorFault.NoNetworks),
    ];

    /// <summary>"no-chip, bit-shift, ...", for the help and the errors.</summary>
    public static string List => string.Join(", ", Names.Select(n => n.Name));

    public static bool TryParse(string name, out Cyw43EmulatorFault fault)
    {
        fault = Array.Find(Names, n => n.Name == name).Fault;
        return fault != Cyw43EmulatorFault.None;
    }

    /// <summary>Makes <paramref name="chip"/> show <paramref name="fault"/>; call before the driver touches it.</summary>
    public static void Apply(Cyw43EmulatorFault fault, Cyw43Emulator chip)
    {
        switch (fault)
        {
            case Cyw43EmulatorFault.NoChip:
                chip.IsPresent = false;
                break;
            case Cyw43EmulatorFault.BitShift:
                chip.SamplesLate = true;
                break;
            case Cyw43EmulatorFault.WrongChip:
                chip.ChipId = OtherChipId;
                break;
            case Cyw43EmulatorFault.NoFirmwareStart:
                chip.HtClockFails = true;
                break;
            case Cyw43EmulatorFault.NoF2Ready:
                chip.F2NeverReady = true;
                break;
            case Cyw43EmulatorFault.BadClm:
                chip.FailsClmLoad = true;
                break;
            case Cyw43EmulatorFault.NoHostWake:
                chip.HostWakeUnwired = true;
                break;
            case Cyw43EmulatorFault.NoNetworks:
                chip.AccessPoints.Clear();
                break;
        }
    }
}
