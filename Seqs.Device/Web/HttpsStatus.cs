namespace Seqs.Device.Web;

/// <summary>The device's HTTPS (<c>https</c> in <c>/api/status</c>; null there with <c>--https-port</c> off).</summary>
public sealed class HttpsStatus
{
    public int Port { get; init; }

    /// <summary>The SHA-256 fingerprint of the certificate served (AB:CD:…); null until it is loaded or made.</summary>
    public string? CertificateFingerprint { get; set; }

    /// <summary>When the certificate served expires; null until it is loaded or made.</summary>
    public DateTimeOffset? CertificateNotAfter { get; set; }
}
