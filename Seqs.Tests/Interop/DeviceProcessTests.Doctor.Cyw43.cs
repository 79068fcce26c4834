namespace Seqs.Tests.Interop;

/// <summary>
/// <c>seqs-device doctor --nic cyw43 --chip-emulator</c>: every check passes on the healthy emulated chip, and each
/// fault the emulator can show (<c>--emulator-fault</c>), and each bad firmware file, gives its own line that says
/// what to do, after the checks that still pass; the examination stops at a failed precondition.
/// </summary>
public sealed partial class DeviceProcessTests
{
    private static readonly string[] HealthyCyw43Doctor =
    [
        "OK   WL_REG_ON powers the chip up: a chip answers on the chip emulator",
        "OK   test register reads FEEDBEADh",
        "OK   read/write test register keeps 12345678h",
        "OK   chip ID is A9AFh (CYW43439)",
        "OK   firmware, NVRAM and CLM files: the emulator's stand-in images (no --firmware given)",
        "OK   firmware boots to F2 ready: MAC 02:53:45:51:57:02",
        "OK   HT clock runs: HT_AVAIL, requested once F2 was ready",
        "OK   host-wake line toggles",
        "OK   a scan finds networks: 2 found, the strongest 'seqs-sim' at -40 dBm",
    ];

    [Test]
    public void DoctorCyw43_OnAHealthyEmulatedChip_PassesEveryCheck_AndExitsZero()
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "doctor", "--nic", "cyw43", "--chip-emulator"], DiagnosticPatience);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(OutputLines(run), Is.EqualTo(HealthyCyw43Doctor).AsCollection, run.ToString());
        Assert.That(SingleErrorLine(run), Is.EqualTo("seqs: every check passed."));
    }

    [TestCase("no-chip", 0, "FAIL WL_REG_ON powers the chip up: nothing answers on the chip emulator: the data line reads all ones.")]
    [TestCase("bit-shift", 1, "FAIL test register reads FEEDBEADh: it reads FDDA7D5Bh, FEEDBEADh shifted by one bit: the host samples the data line on the wrong clock edge or the clock is too fast; lower --spi-hz")]
    [TestCase("wrong-chip", 3, "FAIL chip ID is A9AFh (CYW43439): the chip ID reads 4373h, not A9AFh: this is not a CYW43439")]
    [TestCase("no-firmware-start", 5, "FAIL firmware boots to F2 ready: the firmware did not start (HT_AVAIL never came): check that --firmware and --nvram are the CYW43439's")]
    [TestCase("no-f2-ready", 5, "FAIL firmware boots to F2 ready: the firmware started but F2 never became ready (F2_RX_READY)")]
    [TestCase("bad-clm", 5, "FAIL firmware boots to F2 ready: the firmware refused the CLM (\"clmload_status\" is not 0): check that --clm is the CLM of this firmware")]
    [TestCase("no-host-wake", 7, "FAIL host-wake line toggles: the line never rose although a frame waited")]
    [TestCase("no-networks", 8, "FAIL a scan finds networks: no network found: check the antenna")]
    public void DoctorCyw43_WithAnEmulatedFault_NamesItInItsStep_AndExitsOne(string fault, int passedBefore, string failure)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "doctor", "--nic", "cyw43", "--chip-emulator", "--emulator-fault", fault], DiagnosticPatience);

        string[] lines = OutputLines(run);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(lines[..passedBefore], Is.EqualTo(HealthyCyw43Doctor[..passedBefore]).AsCollection, run.ToString());
        Assert.That(lines[passedBefore], Does.StartWith(failure), run.ToString());
        Assert.That(lines.Count(line => line.StartsWith("FAIL", StringComparison.Ordinal)), Is.EqualTo(1), run.ToString());
        Assert.That(SingleErrorLine(run), Is.EqualTo("seqs: 1 check failed."));
    }

    [TestCase(4, 742, 984, "FAIL firmware, NVRAM and CLM files: the firmware file '{0}' has 4 bytes, not 100000-524288: is it truncated, or another file (--firmware)?")]
    [TestCase(231_077, 742, 0, "FAIL firmware, NVRAM and CLM files: the CLM file '{2}' has 0 bytes, not 500-65536: is it truncated, or another file (--clm)?")]
    [TestCase(231_077, 742, -1, "FAIL firmware, NVRAM and CLM files: --nic cyw43 needs --clm PATH with --firmware")]
    public void DoctorCyw43_WithABadFirmwareFile_SaysWhichAndWhy(int firmwareLength, int nvramLength, int clmLength, string failure)
    {
        string folder = Directory.CreateTempSubdirectory("seqs-doctor-").FullName;
        try
        {
            string firmware = Blob(folder, "43439A0.bin", firmwareLength), nvram = Blob(folder, "nvram_rp2040.bin", nvramLength), clm = Blob(folder, "43439A0_clm.bin", clmLength);
            string[] clmSwitch = clmLength < 0 ? [] : ["--clm", clm];

            CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "doctor", "--nic", "cyw43", "--chip-emulator", "--firmware", firmware, "--nvram", nvram, .. clmSwitch],
                DiagnosticPatience);

            string[] lines = OutputLines(run);
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(lines[..4], Is.EqualTo(HealthyCyw43Doctor[..4]).AsCollection, run.ToString());
            Assert.That(lines[4..], Has.Length.EqualTo(1).And.Exactly(1).StartsWith(string.Format(failure, firmware, nvram, clm)), run.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase("doctor --nic cyw43 --emulator-fault bit-shift --firmware a --nvram b --wl-on-pin 23 --dhcp", "seqs: --emulator-fault makes the --chip-emulator show a fault; a real chip has its own, so add --chip-emulator or drop --emulator-fault.")]
    [TestCase("doctor --nic cyw43 --chip-emulator --emulator-fault typo", "seqs: --emulator-fault 'typo' is not a fault of the emulated CYW43439; give one of no-chip, bit-shift, wrong-chip, no-firmware-start, no-f2-ready, bad-clm, no-host-wake, no-networks.")]
    [TestCase("doctor --nic cyw43 --spi-hz 50000000 --firmware a --nvram b --wl-on-pin 23 --dhcp", "seqs: --spi-hz 50000000 is too fast for spidev to read the CYW43439: SPI mode 0 samples on the rising edge, reliable only up to 33000000 Hz")]
    public void DoctorCyw43_WithSwitchesItCannotUse_ExitsTwoSayingWhy(string command, string problem)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), .. command.Split(' ')], DiagnosticPatience);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(SingleErrorLine(run), Does.StartWith(problem));
    }

    private static string[] OutputLines(CommandResult run) => run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A file of <paramref name="length"/> seeded random bytes in <paramref name="folder"/>; none for a negative length.</summary>
    private static string Blob(string folder, string name, int length)
    {
        string path = Path.Combine(folder, name);
        if (length < 0)
            return path;
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        if (length > 0)
            bytes[0] |= 1;
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
