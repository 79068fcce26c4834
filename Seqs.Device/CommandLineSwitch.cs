namespace Seqs.Device;

/// <summary>
/// One command-line switch of the device and the configuration key it sets. The same key can come from
/// appsettings.json (<c>"Ip": "10.0.0.2/24"</c>) or the environment (<c>SEQS_IP=10.0.0.2/24</c>); the command line
/// wins over the environment, which wins over the file.
/// </summary>
/// <param name="Name">The switch, such as <c>--ip</c>.</param>
/// <param name="Key">The configuration key, such as <c>Ip</c>.</param>
/// <param name="Example">A switch with a value as the user would write it; null for a flag (present or absent, <c>true</c> or <c>false</c> as a key).</param>
public sealed record CommandLineSwitch(string Name, string Key, string? Example)
{
    public bool IsFlag => Example is null;

    /// <summary>
    /// True for a switch that may be given more than once; its values become the keys <c>Key:0</c>, <c>Key:1</c>…,
    /// a JSON array in appsettings.json.
    /// </summary>
    public bool IsRepeatable { get; init; }

    public static CommandLineSwitch? Find(string name, IReadOnlyList<CommandLineSwitch> switches) =>
        switches.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
