using System.Globalization;
using System.Text.RegularExpressions;
using Seqs.Device.HostNics;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// A Linux network namespace for one test: the kernel inside it is the stack's peer. Names are unique per process
/// (<c>seqs-PID-N</c>). Dispose kills what runs inside, closes the TAP NICs it made and deletes the namespace, so
/// use it in a <c>using</c> and it goes away even when the test fails. Namespaces left by a crashed run (their PID
/// is gone) are deleted the first time one is created.
/// </summary>
internal sealed partial class NetworkNamespace : IDisposable
{
    private const string NamePrefix = "seqs-";
    private static int s_counter;
    private static int s_staleRemoved;

    private readonly List<BackgroundCommand> _background = [];
    private readonly List<TapNic> _taps = [];
    private bool _disposed;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>
    /// Creates a namespace with loopback up and IPv6 off, so the kernel sends nothing on a link unprompted.
    /// Ignores the test (fails it under CI) unless this is root with iproute2 and <paramref name="tools"/>.
    /// </summary>
    public static NetworkNamespace Create(params string[] tools)
    {
        InteropEnvironment.RequireNetworkNamespaces(tools);
        RemoveStaleNamespacesOnce();
        string name = string.Create(CultureInfo.InvariantCulture, $"{NamePrefix}{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}");
        HostCommand.RunChecked("ip", "netns", "add", name);
        var ns = new NetworkNamespace(name);
        try
        {
            ns.ExecChecked("ip link set lo up");
            // IPv6 would start with router solicitations and MLD reports the moment a link comes up.
            ns.Exec("echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> with <c>sh -c</c> inside the namespace and waits for it.</summary>
    public CommandResult Exec(string command, TimeSpan? timeout = null) =>
        HostCommand.Run("ip", ["netns", "exec", Name, "sh", "-c", command], timeout);

    /// <summary>Like <see cref="Exec"/>, but throws with the command's output unless it exits with 0.</summary>
    public CommandResult ExecChecked(string command, TimeSpan? timeout = null)
    {
        CommandResult result = Exec(command, timeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"In namespace {Name}: {result}");
        return result;
    }

    /// <summary>Starts <paramref name="command"/> inside the namespace without waiting; it is killed on Dispose at the latest.</summary>
    public BackgroundCommand Start(string command)
    {
        BackgroundCommand background = BackgroundCommand.Start("ip", ["netns", "exec", Name, "sh", "-c", command]);
        _background.Add(background);
        return background;
    }

    /// <summary>
    /// Opens a TapNic with a fresh name in the test's own namespace, moves the device into this one, gives the
    /// kernel's side <paramref name="kernelAddress"/> and brings it up. The descriptor keeps working after the move.
    /// The namespace disposes the NIC.
    /// </summary>
    public TapNic AddTap(Ipv4Cidr kernelAddress, MacAddress? stackMacAddress = null, bool receiveOffload = false)
    {
        string tapName = string.Create(CultureInfo.InvariantCulture, $"sqt{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}");
        TapNic tap = TapNic.Open(tapName, stackMacAddress, receiveOffload);
        _taps.Add(tap);
        HostCommand.RunChecked("ip", "link", "set", tap.Name, "netns", Name);
        ExecChecked($"ip addr add {kernelAddress} dev {tap.Name} && ip link set {tap.Name} up");
        return tap;
    }

    /// <summary>The MAC address the kernel gave its side of <paramref name="interfaceName"/>.</summary>
    public MacAddress KernelMacAddress(string interfaceName)
    {
        string output = ExecChecked($"cat /sys/class/net/{interfaceName}/address").StandardOutput.Trim();
        return MacAddress.Parse(output);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (BackgroundCommand background in _background)
            background.Dispose();
        foreach (TapNic tap in _taps)
            tap.Dispose();
        Delete(Name);
    }

    private static void Delete(string name)
    {
        CommandResult pids = HostCommand.Run("ip", ["netns", "pids", name]);
        foreach (string pid in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            HostCommand.Run("kill", ["-9", pid]);
        HostCommand.Run("ip", ["netns", "delete", name]);
    }

    private static void RemoveStaleNamespacesOnce()
    {
        if (Interlocked.Exchange(ref s_staleRemoved, 1) != 0)
            return;
        CommandResult list = HostCommand.Run("ip", ["netns", "list"]);
        foreach (string line in list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Match match = OurNamespace().Match(line);
            // Another test run may be using its namespaces right now; only a dead owner's are stale.
            if (match.Success && !Directory.Exists($"/proc/{match.Groups["pid"].Value}"))
                Delete(match.Groups["name"].Value);
        }
    }

    [GeneratedRegex(@"^(?<name>seqs-(?<pid>\d+)-\d+)\b")]
    private static partial Regex OurNamespace();
}
