using System.Globalization;
using Seqs.Device.Nics;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string HttpPortOption = "--http-port";

    /// <summary>The port of the device's web pages (<c>/</c> and <c>/api/status</c>); <c>--http-port</c>, 80 by default.</summary>
    public int HttpPort { get; private set; } = 80;

    private bool TryReadHttp(GivenSwitches values, out string error)
    {
        error = "";
        if (!values.TryGetValue(HttpPortOption, out string? text))
            return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            return Fail($"--http-port '{text}' is not a TCP port; give 1 to 65535, such as --http-port 8080.", out error);
        HttpPort = port;
        return true;
    }
}
