namespace Seqs.Device;

/// <summary>
/// The device's command line as configuration: each <c>--switch value</c> (or <c>--switch=value</c>) becomes its
/// <see cref="CommandLineSwitch.Key"/>, and a flag becomes <c>true</c>. Unknown switches, missing values and repeats
/// are refused here, since configuration could not tell them apart afterwards.
/// </summary>
public static class DeviceCommandLine
{
    /// <summary>On false, <paramref name="error"/> is one line that says what to fix.</summary>
    public static bool TryRead(string[] args, IReadOnlyList<CommandLineSwitch> switches, out Dictionary<string, string?> keys, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(switches);
        keys = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        error = "";
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                return Fail($"Unexpected argument '{arg}': options start with --, such as --nic tap.", out error);
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? arg : arg[..equals];
            if (CommandLineSwitch.Find(name, switches) is not { } option)
                return Fail($"Unknown option '{name}'; the options are {string.Join(", ", switches.Select(s => s.Name))}.", out error);
            string? value;
            if (option.IsFlag)
            {
                if (equals >= 0)
                    return Fail($"{name} is a switch and takes no value; write just {name}.", out error);
                value = bool.TrueString;
            }
            else
            {
                value = equals >= 0 ? arg[(equals + 1)..]
                    : i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i]
                    : null;
                if (string.IsNullOrWhiteSpace(value))
                    return Fail($"{name} needs a value, such as {option.Example}.", out error);
            }
            if (option.IsRepeatable)
            {
                keys[$"{option.Key}:{keys.Keys.Count(k => k.StartsWith(option.Key + ":", StringComparison.OrdinalIgnoreCase))}"] = value;
                continue;
            }
            if (!keys.TryAdd(option.Key, value))
                return Fail($"{name} is given twice; give it once.", out error);
        }
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
