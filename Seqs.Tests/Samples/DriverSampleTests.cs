namespace Seqs.Tests.Samples;

/// <summary>
/// Each driver's <c>samples/</c> program, as built with the solution, run with <c>--emulator</c>: it brings the
/// emulated chip up, gives its stack an address and pings a simulated peer, all in virtual time.
/// </summary>
[TestFixture]
public sealed class DriverSampleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Test]
    public void Enc28j60Sample_OnTheEmulator_PrintsFourPingReplies()
    {
        CommandResult run = RunSample("Seqs.Drivers.Enc28j60", "Enc28j60.Samples", "192.168.7.2/24", "192.168.7.1", "--emulator");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.StandardOutput, Does.StartWith("ENC28J60 rev 06h up as "));
        AssertFourRepliesFrom("192.168.7.1", run);
    }

    [Test]
    public void Cyw43Sample_OnTheEmulator_JoinsAndPrintsFourPingReplies()
    {
        CommandResult run = RunSample("Seqs.Drivers.Cyw43", "Cyw43.Samples", "192.168.7.2/24", "192.168.7.1", "sample net", "sample passphrase", "--emulator");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.StandardOutput, Does.Contain("joined to 'sample net'"));
        AssertFourRepliesFrom("192.168.7.1", run);
    }

    private static CommandResult RunSample(string driver, string sample, params string[] arguments)
    {
        string assembly = Path.Combine(RepositoryDirectory.Find(), driver, "samples", "bin", BuildConfiguration.Name, "net10.0", $"{sample}.dll");
        Assert.That(File.Exists(assembly), Is.True, $"{assembly} is built with the solution");
        return HostCommand.Run("dotnet", [assembly, .. arguments], Patience);
    }

    private static void AssertFourRepliesFrom(string peer, CommandResult run)
    {
        string[] replies = run.StandardOutput.Split('\n').Where(line => line.StartsWith("icmp_seq=", StringComparison.Ordinal)).ToArray();
        Assert.That(replies, Has.Length.EqualTo(4), run.ToString());
        Assert.That(replies, Has.All.Contains($"Status = Success, Address = {peer},").And.Contains("DataLength = 56"));
    }
}
