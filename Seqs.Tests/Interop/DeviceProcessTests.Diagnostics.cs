namespace Seqs.Tests.Interop;

/// <summary>
/// The diagnostic subcommands, each one job through the userspace stack and an exit code: on the simulated network
/// (its router answers ping, DNS for router.sim, NTP and HTTP), and on a TAP against the kernel.
/// </summary>
public sealed partial class DeviceProcessTests
{
    private static readonly TimeSpan DiagnosticPatience = TimeSpan.FromSeconds(90);

    [TestCase("ping router.sim", 0, "4 packets transmitted, 4 received")]
    [TestCase("ping 192.168.50.7", 1, "4 packets transmitted, 0 received")]
    [TestCase("resolve router.sim", 0, "router.sim has address 192.168.50.1")]
    [TestCase("get http://router.sim/", 0, "Hello from the simulated router.")]
    [TestCase("ntp router.sim", 0, "(192.168.50.1): stratum 2, offset ")]
    public void DiagnosticSubcommand_OnTheSimulatedNetwork_PrintsItsResultAndExits(string command, int exitCode, string result)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), .. command.Split(' ')], DiagnosticPatience);

        Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
        Assert.That(run.StandardOutput, Does.Contain(result), run.ToString());
    }

    [TestCase("resolve nowhere.sim", "seqs: Resolving 'nowhere.sim' failed")]
    [TestCase("get http://router.sim/missing", "GET http://router.sim/missing (192.168.50.1): 404")]
    public void FailingDiagnostic_ExitsOneAndSaysWhy(string command, string reason)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), .. command.Split(' ')], DiagnosticPatience);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.StandardError, Does.Contain(reason), run.ToString());
    }

    [TestCase("ping", "seqs: ping needs a target: ping HOST, such as seqs-device ping 192.168.1.1.")]
    [TestCase("get ftp://example.com/", "seqs: get 'ftp://example.com/' is not an http:// or https:// URL; give one such as https://example.com/.")]
    [TestCase("ntp pool.ntp.org --nic tap", "seqs: --nic tap needs --tap-name NAME")]
    public void DiagnosticWithABadCommandLine_ExitsTwoWithOneLine(string command, string problem)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), .. command.Split(' ')], TimeSpan.FromSeconds(30));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(SingleErrorLine(run), Does.StartWith(problem));
    }

    [Test]
    [Category("Interop")]
    public void PingSubcommand_OnATap_PingsTheKernelAndExitsZero()
    {
        using var ns = NetworkNamespace.Create("ip");
        string tap = AddPersistentTap(ns);

        CommandResult run = HostCommand.Run("ip", ["netns", "exec", ns.Name, DotnetHost(), DevicePath(), "ping", KernelSide.Address.ToString(),
            "--nic", "tap", "--tap-name", tap, "--ip", DeviceAddress.ToString()], DiagnosticPatience);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.StandardOutput, Does.Contain($"bytes from {KernelSide.Address}: seq=1").And.Contain("4 packets transmitted, 4 received"), run.ToString());
    }
}
