using System.Globalization;
using Seqs.Device.Nics;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string HttpsPortOption = "--https-port", TlsCertificateOption = "--tls-cert", TlsKeyOption = "--tls-key";

    /// <summary>The port of the web interface over TLS (<c>--https-port</c>, usually 443); null serves plain HTTP alone.</summary>
    public int? HttpsPort { get; private set; }

    /// <summary>The PEM certificate of HTTPS (<c>--tls-cert</c>); null generates a self-signed one into <see cref="StateDirectory"/>.</summary>
    public string? TlsCertificatePath { get; private set; }

    /// <summary>The PEM private key of <see cref="TlsCertificatePath"/> (<c>--tls-key</c>).</summary>
    public string? TlsKeyPath { get; private set; }

    /// <summary>Where the device keeps what it generates (the access token, the self-signed certificate): the directory of <see cref="TokenPath"/>.</summary>
    public string StateDirectory => Path.GetDirectoryName(Path.GetFullPath(TokenPath))!;

    private bool TryReadHttps(GivenSwitches values, out string error)
    {
        error = "";
        string? certificate = values.GetValueOrDefault(TlsCertificateOption), key = values.GetValueOrDefault(TlsKeyOption);
        if (!values.TryGetValue(HttpsPortOption, out string? text))
        {
            return certificate is null && key is null
                || Fail($"{(certificate is null ? TlsKeyOption : TlsCertificateOption)} is for HTTPS; add --https-port 443 to serve it.", out error);
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            return Fail($"--https-port '{text}' is not a TCP port; give 1 to 65535, such as --https-port 443.", out error);
        if (port == HttpPort)
            return Fail($"--https-port {port} is also the HTTP port; give HTTP and HTTPS different ports, such as --http-port 80 --https-port 443.", out error);
        if ((certificate is null) != (key is null))
            return Fail($"{(certificate is null ? TlsKeyOption : TlsCertificateOption)} needs {(certificate is null ? TlsCertificateOption : TlsKeyOption)} too: give the PEM certificate and its key, or neither for a self-signed certificate.", out error);
        HttpsPort = port;
        TlsCertificatePath = certificate;
        TlsKeyPath = key;
        return true;
    }
}
