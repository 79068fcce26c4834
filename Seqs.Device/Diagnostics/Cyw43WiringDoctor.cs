using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Seqs.Device.Nics;
using Seqs.Diagnostics;
using Seqs.Drivers.Cyw43;

namespace Seqs.Device.Diagnostics;

/// <summary>
/// <c>seqs-device doctor --nic cyw43</c>: the CYW43439's wiring, step by step in the order the driver depends on it
/// (Seqs.Drivers.Cyw43/README.md, "Wiring doctor"): WL_REG_ON powers the chip up, the test register reads FEEDBEADh
/// (a one-bit shift names the sample edge or the clock), the read/write test register keeps 12345678h, the chip ID is
/// A9AFh, the firmware, NVRAM and CLM files are there and of a plausible size, the firmware boots to F2 ready, the
/// HT clock runs, the host-wake line toggles (when wired) and a scan finds a network.
/// </summary>
internal sealed class Cyw43WiringDoctor : IWiringDoctor
{
    private const string PowerUp = "WL_REG_ON powers the chip up", TestRegister = "test register reads FEEDBEADh",
        ReadWrite = "read/write test register keeps 12345678h", ChipIdentity = "chip ID is A9AFh (CYW43439)", Files = "firmware, NVRAM and CLM files",
        Boot = "firmware boots to F2 ready", HtClock = "HT clock runs", HostWake = "host-wake line toggles", Scan = "a scan finds networks";

    /// <summary>
    /// Plausible sizes (embassy cyw43-firmware/, cyw43-driver firmware/;
    /// docs/reference/cyw43439.md#firmware-blobs-and-licences): the firmware 224,190-231,077 bytes, the NVRAM 742, the
    /// CLM 984-4,752; the bounds leave room for other builds and catch an empty, truncated or swapped file.
    /// </summary>
    private static readonly (string What, string Switch, int Min, int Max)[] FileSizes =
    [
        ("firmware", "--firmware", 100_000, 512 * 1024),
        ("NVRAM", "--nvram", 200, 16 * 1024),
        ("CLM", "--clm", 500, 64 * 1024),
    ];

    public async IAsyncEnumerable<DoctorStep> ExamineAsync(DeviceOptions options, ILoggerFactory loggers, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Cyw43NicOptions wifi = options.NicOptions<Cyw43NicOptions>();
        string bus = Cyw43NicKind.BusDescription(options);
        (Cyw43439? chip, string openError) = Open(options, loggers);
        if (chip is null)
        {
            yield return DoctorStep.Fail(PowerUp, openError);
            yield break;
        }
        using (chip)
        {
            List<DoctorStep> identified = await IdentifyAsync(chip, bus, wifi, options.ChipEmulator, cancellationToken).ConfigureAwait(false);
            foreach (DoctorStep step in identified)
                yield return step;
            if (!identified[^1].Passed)
                yield break;

            (DoctorStep files, Cyw43Firmware? firmware) = CheckFiles(wifi);
            yield return files;
            if (firmware is null)
                yield break;

            DoctorStep boot = await BootAsync(chip, firmware, cancellationToken).ConfigureAwait(false);
            yield return boot;
            if (!boot.Passed)
                yield break;
            yield return chip.IsHtClockAvailable()
                ? DoctorStep.Pass(HtClock, "HT_AVAIL, requested once F2 was ready")
                : DoctorStep.Fail(HtClock, "CHIP_CLOCK_CSR shows no HT_AVAIL after the boot: the firmware stopped its clock; check the 3V3 supply under load.");
            yield return Describe(await chip.CheckHostWakeAsync(cancellationToken).ConfigureAwait(false), wifi, options.ChipEmulator);
            yield return await ScanAsync(chip, cancellationToken).ConfigureAwait(false);
        }
    }

    private static (Cyw43439? Chip, string Error) Open(DeviceOptions options, ILoggerFactory loggers)
    {
        try
        {
            return (Cyw43NicKind.OpenForScan(options, loggers), "");
        }
        catch (DeviceStartException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The first four steps, from one <see cref="Cyw43439.IdentifyAsync"/>: passed ones, then the failed one if any.</summary>
    private static async Task<List<DoctorStep>> IdentifyAsync(Cyw43439 chip, string bus, Cyw43NicOptions wifi, bool emulator, CancellationToken cancellationToken)
    {
        BootStep? failedAt = null;
        string failure = "";
        try
        {
            await chip.IdentifyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Cyw43BootException e)
        {
            failedAt = e.Step;
            failure = e.Message;
        }
        uint read = chip.TestPatternRead;
        var steps = new List<DoctorStep>();
        if (failedAt is BootStep.PowerUp or BootStep.BusTestPattern && read is 0 or 0xFFFF_FFFF)
        {
            steps.Add(DoctorStep.Fail(PowerUp, $"nothing answers on {bus}: the data line reads all {(read == 0 ? "zeros" : "ones")}. " +
                (emulator ? "The emulated chip is absent (--emulator-fault no-chip)." : $"Check 3V3 and GND, that --wl-on-pin {wifi.PowerPin} is WL_REG_ON, and the CS and CLK wires.")));
            return steps;
        }
        steps.Add(DoctorStep.Pass(PowerUp, $"a chip answers on {bus}"));
        if (failedAt is BootStep.PowerUp or BootStep.BusTestPattern)
        {
            steps.Add(DoctorStep.Fail(TestRegister, DescribeTestPattern(chip, failure)));
            return steps;
        }
        steps.Add(DoctorStep.Pass(TestRegister));
        if (failedAt is BootStep.BusReadWriteTest)
        {
            steps.Add(DoctorStep.Fail(ReadWrite, $"{failure} Reads work but writes do not arrive intact: check the data line (one shared DATA wire, short, no series resistor too large) and the CLK signal."));
            return steps;
        }
        steps.Add(DoctorStep.Pass(ReadWrite));
        if (failedAt is { } step && step != BootStep.ChipId)
        {
            steps.Add(DoctorStep.Fail(ChipIdentity, $"the chip did not get as far as its ID: {failure}"));
            return steps;
        }
        steps.Add(failedAt is null
            ? DoctorStep.Pass(ChipIdentity)
            : DoctorStep.Fail(ChipIdentity, $"the chip ID reads {chip.ChipId:X4}h, not A9AFh: this is not a CYW43439 (the Pico W's), so this driver cannot boot it."));
        return steps;
    }

    private static string DescribeTestPattern(Cyw43439 chip, string failure)
    {
        uint read = chip.TestPatternRead;
        if (read == 0xBEADFEED)
            return $"it reads BEADFEEDh, the pattern with its halves exchanged: the chip was already configured, so WL_REG_ON did not power-cycle it; check the --wl-on-pin wire.";
        if (chip.IsTestPatternShiftedByOneBit)
            return $"it reads {read:X8}h, FEEDBEADh shifted by one bit: the host samples the data line on the wrong clock edge or the clock is too fast; lower --spi-hz (25000000 is safe, at most 33000000) or shorten the wires.";
        return $"{failure} The bits are not merely shifted: check that DATA goes to the chip's data pin and CLK to its clock, and that the wires are short.";
    }

    private static (DoctorStep Step, Cyw43Firmware? Firmware) CheckFiles(Cyw43NicOptions wifi)
    {
        if (wifi.FirmwarePath is null)
            return (DoctorStep.Pass(Files, "the emulator's stand-in images (no --firmware given)"), Cyw43NicKind.EmulatorImages);
        string?[] paths = [wifi.FirmwarePath, wifi.NvramPath, wifi.ClmPath];
        var sizes = new List<string>();
        for (int i = 0; i < FileSizes.Length; i++)
        {
            (string what, string option, int min, int max) = FileSizes[i];
            if (paths[i] is not string path)
                return (DoctorStep.Fail(Files, option == "--clm" ? Cyw43NicKind.MissingClm : $"no {option} given."), null);
            if (!File.Exists(path))
                return (DoctorStep.Fail(Files, $"the {what} file {option} '{path}' does not exist; Seqs does not ship the Infineon blobs: see Seqs.Drivers.Cyw43/README.md, \"Firmware\"."), null);
            long length = new FileInfo(path).Length;
            if (length < min || length > max)
                return (DoctorStep.Fail(Files, $"the {what} file '{path}' has {length} bytes, not {min}-{max}: is it truncated, or another file ({option})?"), null);
            sizes.Add($"{what} {length} B");
        }
        try
        {
            return (DoctorStep.Pass(Files, string.Join(", ", sizes)), Cyw43NicKind.LoadFirmware(wifi));
        }
        catch (DeviceStartException e)
        {
            return (DoctorStep.Fail(Files, e.Message), null);
        }
    }

    private static async Task<DoctorStep> BootAsync(Cyw43439 chip, Cyw43Firmware firmware, CancellationToken cancellationToken)
    {
        try
        {
            await chip.InitializeAsync(firmware, cancellationToken).ConfigureAwait(false);
            return DoctorStep.Pass(Boot, $"MAC {chip.MacAddress}");
        }
        catch (Cyw43BootException e)
        {
            return DoctorStep.Fail(Boot, e.Step switch
            {
                BootStep.HtClock => "the firmware did not start (HT_AVAIL never came): check that --firmware and --nvram are the CYW43439's (43439A0.bin, nvram_rp2040.bin) and the 3V3 supply.",
                BootStep.F2Ready => "the firmware started but F2 never became ready (F2_RX_READY): check the firmware and NVRAM files belong together, and the 3V3 supply.",
                BootStep.Clm => "the firmware refused the CLM (\"clmload_status\" is not 0): check that --clm is the CLM of this firmware (43439A0_clm.bin).",
                _ => e.Message,
            });
        }
        catch (IOException e)
        {
            return DoctorStep.Fail(Boot, DeviceStartException.OneLine(e.Message));
        }
    }

    private static DoctorStep Describe(HostWakeCheck check, Cyw43NicOptions wifi, bool emulator) => check switch
    {
        HostWakeCheck.NotWired => DoctorStep.Pass(HostWake, "not wired (no --host-wake-pin): the driver polls the status word instead"),
        HostWakeCheck.Toggles => DoctorStep.Pass(HostWake),
        HostWakeCheck.NeverRises => DoctorStep.Fail(HostWake, emulator
            ? "the line never rose although a frame waited (--emulator-fault no-host-wake)."
            : $"the line never rose although a frame waited: check that --host-wake-pin {wifi.HostWakePin} is the chip's HOST_WAKE (on a Pico W module it shares GPIO 24 with DATA), or leave --host-wake-pin out to poll."),
        _ => DoctorStep.Fail(HostWake, $"the line stays high with nothing pending: check that --host-wake-pin {wifi.HostWakePin} is HOST_WAKE and not another output, and that nothing else drives it."),
    };

    private static async Task<DoctorStep> ScanAsync(Cyw43439 chip, CancellationToken cancellationToken)
    {
        IReadOnlyList<WifiNetwork> networks;
        try
        {
            networks = await chip.ScanAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return DoctorStep.Fail(Scan, $"the scan failed: {DeviceStartException.OneLine(e.Message)}");
        }
        return networks.Count == 0
            ? DoctorStep.Fail(Scan, "no network found: check the antenna, that an access point is in range, and that --clm is the CYW43439's CLM (without regulatory data there is no channel to scan).")
            : DoctorStep.Pass(Scan, $"{networks.Count} found, the strongest '{PeerText.Escape(networks[0].Ssid)}' at {networks[0].Rssi} dBm");
    }
}
