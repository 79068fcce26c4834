namespace Seqs.Device.Nics;

/// <summary>The NIC kinds <c>--nic</c> knows, in the order its messages name them.</summary>
internal static class NicKinds
{
    /// <summary>The default: no <c>--nic</c>, no TAP and no hardware.</summary>
    public static SimulatedNicKind Simulated { get; } = new();

    /// <summary>The one kind that is a TAP itself rather than wired to one.</summary>
    public static TapNicKind Tap { get; } = new();

    public static IReadOnlyList<INicKind> All { get; } = [Simulated, Tap, new Enc28j60NicKind(), new Cyw43NicKind(), new SerialNicKind()];

    public static INicKind? Find(string name) => All.FirstOrDefault(kind => kind.Name == name);

    /// <summary>"--nic enc28j60 and --nic cyw43".</summary>
    public static string Selecting(IEnumerable<INicKind> kinds) => string.Join(" and ", kinds.Select(kind => $"--nic {kind.Name}"));

    /// <summary>"tap, enc28j60, cyw43 or serial".</summary>
    public static string Either(IEnumerable<INicKind> kinds)
    {
        string[] names = [.. kinds.Select(kind => kind.Name)];
        return names.Length < 2 ? string.Concat(names) : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}
