using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Seqs.Device.Nics;

/// <summary>
/// The switches given on the command line, in the SEQS_ environment or in appsettings.json, by switch name
/// (<c>--spi-bus</c>) with their values; a flag's value is its name.
/// </summary>
internal sealed class GivenSwitches(IReadOnlyDictionary<string, string> values)
{
    /// <summary>True with <c>--chip-emulator</c>.</summary>
    public bool ChipEmulator => values.ContainsKey(DeviceOptions.ChipEmulatorOption);

    public bool ContainsKey(string name) => values.ContainsKey(name);

    public bool TryGetValue(string name, [MaybeNullWhen(false)] out string value) => values.TryGetValue(name, out value);

    public string? GetValueOrDefault(string name) => values.GetValueOrDefault(name);

    public string GetValueOrDefault(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    /// <summary>The first of <paramref name="names"/> that is given, or null.</summary>
    public string? FirstGiven(IEnumerable<string> names) => names.FirstOrDefault(values.ContainsKey);

    /// <summary>
    /// The whole number of switch <paramref name="name"/>, <paramref name="fallback"/> when it is not given. On false,
    /// <paramref name="error"/> says the value is not <paramref name="what"/> and gives the switch's example.
    /// </summary>
    public bool TryReadNumber(string name, string what, int minimum, int fallback, out int number, out string error)
    {
        error = "";
        number = fallback;
        if (!values.TryGetValue(name, out string? text))
            return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < minimum)
            return DeviceOptions.Fail($"{name} '{text}' is not {what}; give a whole number of {minimum} or more, such as {CommandLineSwitch.Find(name, DeviceOptions.Switches)!.Example}.", out error);
        return true;
    }
}
