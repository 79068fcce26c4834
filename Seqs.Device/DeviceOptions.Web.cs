using System.Globalization;
using Seqs.Device.Nics;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string LedPinOption = "--led-pin", AccessTokenOption = "--access-token", TokenFileOption = "--token-file", PublicStatusOption = "--public-status";

    /// <summary>The shortest access token accepted from configuration: 128 bits as hex.</summary>
    private const int MinAccessTokenLength = 32;

    /// <summary>The name of the token file in the directories of <see cref="DefaultTokenPath"/>.</summary>
    private const string TokenFileName = "access-token";

    /// <summary>The GPIO driving the LED of <c>/api/led</c>, or -1 for the simulated LED.</summary>
    public int LedPin { get; private set; } = -1;

    /// <summary>The access token from configuration (<c>--access-token</c>); null to use <see cref="TokenPath"/>.</summary>
    public string? AccessToken { get; private set; }

    /// <summary>
    /// The file that keeps the generated access token when none is configured: <c>--token-file</c>, else
    /// <see cref="DefaultTokenPath"/>.
    /// </summary>
    public string TokenPath { get; private set; } = DefaultTokenPath();

    /// <summary>True unless <c>--public-status false</c>: the page and the status JSON are served without the token.</summary>
    public bool PublicStatus { get; private set; } = true;

    /// <summary>
    /// systemd's <c>$STATE_DIRECTORY/access-token</c> (the unit's StateDirectory=), else
    /// <c>~/.config/seqs/access-token</c>, else <c>access-token</c> in the working directory.
    /// </summary>
    public static string DefaultTokenPath()
    {
        if (Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state)
            return Path.Combine(state.Split(':')[0], TokenFileName);
        string config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
        return config.Length > 0 ? Path.Combine(config, "seqs", TokenFileName) : TokenFileName;
    }

    private bool TryReadWeb(GivenSwitches values, out string error)
    {
        error = "";
        if (values.TryGetValue(LedPinOption, out string? pinText))
        {
            if (!int.TryParse(pinText, NumberStyles.None, CultureInfo.InvariantCulture, out int pin))
                return Fail($"--led-pin '{pinText}' is not a GPIO number; give a whole number of 0 or more, such as --led-pin 17.", out error);
            if (NicKind.OwnLed is string ownLed)
                return Fail($"--led-pin: with --nic {Nic}, /api/led switches {ownLed}; drop --led-pin.", out error);
            if (IsSimulated)
                return Fail("--led-pin drives a real GPIO; the simulated network has a simulated LED, so drop --led-pin.", out error);
            LedPin = pin;
        }
        if (values.TryGetValue(AccessTokenOption, out string? token))
        {
            if (token.Length < MinAccessTokenLength || !token.All(c => c is > ' ' and < (char)0x7F))
                return Fail($"--access-token is too weak or has spaces; give at least {MinAccessTokenLength} visible ASCII characters (openssl rand -hex 16 makes one), or leave it out to have one generated.", out error);
            AccessToken = token;
        }
        if (values.TryGetValue(TokenFileOption, out string? tokenPath))
        {
            if (AccessToken is not null)
                return Fail("--token-file keeps a generated token; with --access-token there is none to keep, so give one of the two.", out error);
            TokenPath = tokenPath;
        }
        if (values.TryGetValue(PublicStatusOption, out string? publicText))
        {
            if (!bool.TryParse(publicText, out bool isPublic))
                return Fail($"--public-status '{publicText}' is not true or false.", out error);
            PublicStatus = isPublic;
        }
        return true;
    }
}
