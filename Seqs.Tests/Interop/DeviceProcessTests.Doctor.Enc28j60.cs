namespace Seqs.Tests.Interop;

/// <summary>
/// <c>seqs-device doctor --nic enc28j60 --chip-emulator</c> as a user runs it: every check on a healthy emulated
/// board passes with exit code 0, and each wiring fault the emulator can be given is named by its own line, with
/// exit code 1. The emulated board needs no TAP: its RJ45 side is left unattached.
/// </summary>
public sealed partial class DeviceProcessTests
{
    [Test]
    public void Enc28j60Doctor_OnAHealthyEmulatedBoard_PassesEveryCheckAndExitsZero()
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "doctor", "--nic", "enc28j60", "--chip-emulator"], DiagnosticPatience);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        string[] lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(9), run.ToString());
        Assert.That(lines, Has.All.StartWith("OK   "), run.ToString());
        Assert.That(run.StandardOutput, Does.Contain("OK   chip revision (EREVID): revision B7 (06h)")
            .And.Contain("OK   frame through the PHY loopback: 300 bytes sent and read back intact"), run.ToString());
        Assert.That(run.StandardError, Does.Contain("seqs: every check passed."), run.ToString());
    }

    [TestCase("miso-stuck-high", "FAIL MISO line: stuck high: the chip takes commands (its INT line answered) but MISO always reads FFh.")]
    [TestCase("miso-stuck-low", "FAIL MISO line: stuck low: the chip takes commands (its INT line answered) but MISO always reads 00h.")]
    [TestCase("no-chip", "FAIL MISO line: reads FFh whatever is asked, and nothing else answers: nothing drives MISO.")]
    [TestCase("no-int", "FAIL INT line: stayed high while the chip raised an interrupt")]
    [TestCase("no-reset", "FAIL RESET line: the chip kept its registers through a low pulse")]
    [TestCase("no-clock", "FAIL oscillator (ESTAT.CLKRDY after reset): CLKRDY never set after a reset: the chip's 25 MHz oscillator does not run.")]
    [TestCase("no-link", "FAIL PHY link: no link: plug the cable in")]
    public void Enc28j60Doctor_WithAWiringFault_NamesItOnItsOwnLineAndExitsOne(string fault, string diagnosis)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "doctor", "--nic", "enc28j60", "--chip-emulator", "--emulator-fault", fault], DiagnosticPatience);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.StandardOutput.Split('\n'), Has.One.StartsWith(diagnosis), run.ToString());
        Assert.That(run.StandardOutput, Does.StartWith("OK   SPI device: the emulated ENC28J60 (--chip-emulator)"), run.ToString());
    }

    [TestCase("miso-stuck-high", "FAIL chip revision (EREVID): EREVID reads FFh, which no ENC28J60 has: no chip answers.")]
    [TestCase("no-chip", "FAIL chip revision (EREVID): EREVID reads FFh, which no ENC28J60 has: no chip answers.")]
    [TestCase("miso-stuck-low", "FAIL chip revision (EREVID): EREVID reads 00h, which no ENC28J60 has: no chip answers.")]
    public void Enc28j60Doctor_WhenNoChipAnswers_StopsAfterTheMisoDiagnosis(string fault, string revisionLine)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "doctor", "--nic", "enc28j60", "--chip-emulator", "--emulator-fault", fault], DiagnosticPatience);

        string[] lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3), run.ToString());
        Assert.That(lines[1], Does.StartWith(revisionLine), run.ToString());
        Assert.That(lines[2], Does.StartWith("FAIL MISO line: "), run.ToString());
    }

    [TestCase("--nic enc28j60 --emulator-fault no-int --dhcp", "--emulator-fault wires a fault into the emulated board; it needs --chip-emulator.")]
    [TestCase("--nic enc28j60 --chip-emulator --emulator-fault smoke", "--emulator-fault 'smoke' is not a fault the ENC28J60 emulator has; give one of miso-stuck-high, miso-stuck-low, no-chip, no-int, no-reset, no-clock, no-link.")]
    public void Enc28j60Doctor_WithABadFaultSwitch_ExitsTwoWithOneLine(string arguments, string problem)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "doctor", .. arguments.Split(' ')], TimeSpan.FromSeconds(30));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(SingleErrorLine(run), Is.EqualTo("seqs: " + problem));
    }

    /// <summary>The doctor only talks to the chip: it needs no address, and on a board without the SPI device its first line says so.</summary>
    [Test]
    public void Enc28j60Doctor_WithoutAnAddressOrTheSpiDevice_NamesTheMissingDevice()
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "doctor", "--nic", "enc28j60", "--spi-bus", "7", "--spi-cs", "3"], DiagnosticPatience);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.StandardOutput, Does.StartWith("FAIL ").And.Contain("/dev/spidev7.3"), run.ToString());
    }
}
