using Seqs.Device.HostNics;

namespace Seqs.Tests.Support;

/// <summary>
/// Decides whether an interop test can run here. When it cannot, the test is ignored with the reason, except under
/// CI (<c>CI=true</c>), where it fails: CI must run every interop test, never skip one.
/// </summary>
internal static class InteropEnvironment
{
    private static readonly string[] ExtraSearchDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsRoot => OperatingSystem.IsLinux() && LibC.GetEffectiveUserId() == 0;

    /// <summary>Root on Linux with TUN/TAP and iproute2, plus the given tools.</summary>
    public static void RequireNetworkNamespaces(params string[] tools)
    {
        if (!OperatingSystem.IsLinux())
            Unavailable("needs Linux for network namespaces and TAP");
        if (!IsRoot)
            Unavailable("needs root for network namespaces and TAP (run the tests with sudo, or as root in CI)");
        if (!File.Exists("/dev/net/tun"))
            Unavailable("needs /dev/net/tun (load the TUN/TAP driver: modprobe tun)");
        RequireTools(["ip", .. tools]);
    }

    /// <summary>Each tool must be an executable on PATH (or in /usr/sbin, /sbin).</summary>
    public static void RequireTools(params string[] tools)
    {
        string[] missing = tools.Where(tool => FindExecutable(tool) is null).ToArray();
        if (missing.Length > 0)
            Unavailable($"needs {string.Join(", ", missing)} on PATH (build/test.sh installs them when run as root)");
    }

    public static string? FindExecutable(string tool)
    {
        IEnumerable<string> directories = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraSearchDirectories);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }
        return null;
    }

    private static void Unavailable(string reason)
    {
        if (IsCi)
            Assert.Fail($"Interop test cannot run: it {reason}. CI=true, and CI must run every interop test.");
        Assert.Ignore($"Interop test skipped: it {reason}.");
    }
}
