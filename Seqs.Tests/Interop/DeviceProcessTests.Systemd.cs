using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Seqs.Tests.Interop;

/// <summary>The shipped systemd unit, and the device's readiness notification (sd_notify) under a service manager.</summary>
public sealed partial class DeviceProcessTests
{
    private const string UnitFile = "deploy/seqs-device.service";
    private const string InstalledProgram = "/opt/seqs-device/Seqs.Device";

    [Test]
    public void UnitFile_PassesSystemdAnalyzeVerify_WithoutAWarning()
    {
        InteropEnvironment.RequireTools("systemd-analyze");
        string unit = File.ReadAllText(FindRepositoryFile(UnitFile));
        Assert.That(unit, Does.Contain("Type=notify").And.Contain($"ExecStart={InstalledProgram}"));
        // verify checks that ExecStart is executable, so the copy runs the apphost built next to these tests.
        string directory = Directory.CreateTempSubdirectory("seqs-unit-").FullName;
        try
        {
            string copy = Path.Combine(directory, "seqs-device.service");
            File.WriteAllText(copy, unit.Replace(InstalledProgram, Path.Combine(AppContext.BaseDirectory, "Seqs.Device"), StringComparison.Ordinal));

            CommandResult verify = HostCommand.Run("systemd-analyze", ["verify", "--man=no", copy], TimeSpan.FromSeconds(60));

            Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
            Assert.That(verify.StandardError.Trim(), Is.Empty, "verify only warns about some mistakes: " + verify);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The unit's sandbox, as systemd scores it (0 is fully sandboxed, 10 fully exposed): no capabilities, no kernel
    /// sockets but AF_UNIX, only the NIC's character devices, the system-service syscall set.
    /// </summary>
    [Test]
    public void UnitFile_ScoresAnExposureOfAtMostTwo_InSystemdAnalyzeSecurity()
    {
        InteropEnvironment.RequireTools("systemd-analyze");
        string unit = FindRepositoryFile(UnitFile);

        CommandResult security = HostCommand.Run("systemd-analyze", ["security", "--offline=true", "--no-pager", unit], TimeSpan.FromSeconds(60));

        Match exposure = ExposureLevel().Match(security.StandardOutput);
        Assert.That(exposure.Success, Is.True, security.ToString());
        Assert.That(double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(2.0), security.ToString());
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d)")]
    private static partial Regex ExposureLevel();

    [Test]
    [Category("Interop")]
    public void Device_StartedByAServiceManager_NotifiesReadiness()
    {
        if (!InteropEnvironment.IsRoot)
            Assert.Ignore("Needs root: the device runs as PID 1 of a PID namespace (unshare), which is how Microsoft.Extensions.Hosting.Systemd recognises a service manager outside systemd itself.");
        InteropEnvironment.RequireTools("unshare");
        string socketPath = Path.Combine(Path.GetTempPath(), $"seqs-notify-{Environment.ProcessId}.sock");
        File.Delete(socketPath);
        using var notifications = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = (int)StartPatience.TotalMilliseconds };
        notifications.Bind(new UnixDomainSocketEndPoint(socketPath));
        try
        {
            using BackgroundCommand device = StartDevice(["unshare", "--pid", "--fork", "--mount-proc", "env", $"NOTIFY_SOCKET={socketPath}"], "--forward", "127.0.0.1:0");
            var buffer = new byte[1024];
            string received = "";
            try
            {
                while (!received.Contains("READY=1", StringComparison.Ordinal))
                    received += Encoding.ASCII.GetString(buffer, 0, notifications.Receive(buffer)) + "\n";
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                Assert.Fail($"no READY=1 within {StartPatience.TotalSeconds} s; got '{received}': {device.Output}");
            }
            Assert.That(received, Does.Contain("READY=1"));
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    private static string FindRepositoryFile(string relativePath)
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
                return candidate;
        }
        Assert.Fail($"{relativePath} not found above {AppContext.BaseDirectory}");
        return "";
    }
}
