using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Seqs.Wire;

namespace Seqs.Device.Web;

/// <summary>
/// The certificate of the device's HTTPS: <c>--tls-cert</c> and <c>--tls-key</c> (PEM), or a self-signed one made at
/// first start and kept in the state directory: ECDSA P-256, for the device's host name, NAME.local and address, the
/// key readable by the owner alone. Its SHA-256 fingerprint and public key pin are logged, so that a user can check
/// the certificate a browser shows, or pin it.
/// </summary>
internal static partial class HttpsCertificate
{
    public const string CertificateFileName = "https-certificate.pem", KeyFileName = "https-key.pem";

    /// <summary>How long a generated certificate is valid: long, as nobody renews it (CA/B limits apply to public CAs only).</summary>
    private static readonly TimeSpan SelfSignedValidity = TimeSpan.FromDays(10 * 365);

    /// <exception cref="DeviceStartException">The files cannot be read, are not PEM, or do not match.</exception>
    public static X509Certificate2 Load(string certificatePath, string keyPath, ILogger log)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new DeviceStartException($"cannot load the HTTPS certificate {Path.GetFullPath(certificatePath)} with key {Path.GetFullPath(keyPath)}: {e.Message.TrimEnd('.')}; give a PEM certificate (--tls-cert) and its PEM private key (--tls-key).", e);
        }
        Log.Loaded(log, Path.GetFullPath(certificatePath), certificate.Subject, Fingerprint(certificate), PublicKeyPin(certificate), certificate.NotAfter.ToUniversalTime());
        return certificate;
    }

    /// <summary>
    /// The self-signed certificate in <paramref name="directory"/>, made for <paramref name="hostName"/> and
    /// <paramref name="address"/> when there is none yet.
    /// </summary>
    /// <exception cref="DeviceStartException">The directory cannot be written.</exception>
    public static X509Certificate2 LoadOrCreateSelfSigned(string directory, string hostName, Ipv4Address? address, TimeProvider clock, ILogger log)
    {
        string certificatePath = Path.Combine(directory, CertificateFileName), keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
            return Load(certificatePath, keyPath, log);
        try
        {
            using X509Certificate2 created = CreateSelfSigned(hostName, address, clock.GetUtcNow());
            using ECDsa key = created.GetECDsaPrivateKey()!;
            // One of the pair without the other is what a start stopped while writing them leaves; they are made anew.
            foreach (string stale in (ReadOnlySpan<string>)[keyPath, certificatePath])
            {
                if (File.Exists(stale))
                    File.Delete(stale);
            }
            OwnerOnlyFile.Create(keyPath, key.ExportPkcs8PrivateKeyPem());
            OwnerOnlyFile.Create(certificatePath, created.ExportCertificatePem());
            Log.Created(log, certificatePath, hostName, address?.ToString() ?? "none yet", Fingerprint(created), PublicKeyPin(created));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeviceStartException($"cannot keep the HTTPS certificate in {directory}: {e.Message.TrimEnd('.')}; make it writable (it is the directory of --token-file), or give --tls-cert and --tls-key.", e);
        }
        // Loaded back from its files: a certificate made in memory keeps an ephemeral key, which is not what is served after a restart.
        return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
    }

    /// <summary>The SHA-256 fingerprint of the whole certificate, as browsers show it (AB:CD:…).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        BitConverter.ToString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Replace('-', ':');

    /// <summary>
    /// The base64 SHA-256 of the certificate's SubjectPublicKeyInfo (RFC 7469 §2.4's pin-sha256), which Chromium's
    /// <c>--ignore-certificate-errors-spki-list</c> and curl's <c>--pinnedpubkey sha256//</c> take.
    /// </summary>
    public static string PublicKeyPin(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    private static X509Certificate2 CreateSelfSigned(string hostName, Ipv4Address? address, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        names.AddDnsName(hostName + ".local");
        if (address is Ipv4Address a)
            names.AddIpAddress(a.ToIPAddress());
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // RFC 5280 §4.2.1.12: id-kp-serverAuth.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(now.AddDays(-1), now + SelfSignedValidity);
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "HTTPS certificate {Path} ({Subject}): SHA-256 fingerprint {Fingerprint}, public key pin sha256/{Pin}, valid until {NotAfter:u}")]
        public static partial void Loaded(ILogger logger, string path, string subject, string fingerprint, string pin, DateTime notAfter);

        [LoggerMessage(21, LogLevel.Warning, "HTTPS: made a self-signed certificate {Path} for {HostName} and address {Address}: SHA-256 fingerprint {Fingerprint}, public key pin sha256/{Pin}; check a browser's warning against this fingerprint")]
        public static partial void Created(ILogger logger, string path, string hostName, string address, string fingerprint, string pin);
    }
}
