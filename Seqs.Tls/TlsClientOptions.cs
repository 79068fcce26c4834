using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Seqs.Dns;
using Seqs.Tcp;

namespace Seqs.Tls;

/// <summary>How <see cref="TlsConnection"/> opens client connections and judges the server's certificate.</summary>
public sealed class TlsClientOptions
{
    /// <summary>
    /// The CAs to trust instead of the system store (<c>--ca-file</c>); null trusts the system store. Intermediates
    /// are never downloaded (<see cref="X509ChainPolicy.DisableCertificateDownloads"/>): a device's only route may be
    /// its own stack, which .NET cannot use, so a server must send its chain.
    /// </summary>
    public X509Certificate2Collection? TrustedRoots { get; set; }

    /// <summary>
    /// The time certificates are judged at. Null (the default) takes the system clock; a device without a real-time
    /// clock gives its network clock here, returning null until NTP has answered, and then every handshake fails
    /// with a message saying so instead of judging the certificate by a clock that says 1970.
    /// </summary>
    public Func<DateTimeOffset?>? VerificationTime { get; set; }

    /// <summary>
    /// The name the server's certificate must carry, also sent by SNI (RFC 6066 §3), when it is not the host
    /// <see cref="TlsConnection.ConnectAsync"/> connects to (an address, say); null checks that host.
    /// </summary>
    public string? TargetHostName { get; set; }

    /// <summary>
    /// Accepts any certificate, for tests against throwaway servers only: the connection is encrypted but not
    /// authenticated, so anyone on the path can read it.
    /// </summary>
    public bool SkipCertificateValidation { get; set; }

    /// <summary>The protocols offered; <see cref="SslProtocols.None"/> (the default) lets the system choose (TLS 1.2 and 1.3).</summary>
    public SslProtocols EnabledProtocols { get; set; }

    /// <summary>The resolver of host names for <see cref="TlsConnection.ConnectAsync"/>; null makes one on the stack.</summary>
    public DnsResolver? Resolver { get; set; }

    /// <summary>The TCP options of the connections <see cref="TlsConnection.ConnectAsync"/> opens; null takes the stack's.</summary>
    public TcpConnectionOptions? Tcp { get; set; }

    /// <summary>
    /// Trusts the CA certificates of a PEM file (<c>--ca-file</c>) instead of the system store. Throws
    /// <see cref="ArgumentException"/> when the file holds no certificate.
    /// </summary>
    public TlsClientOptions TrustCaFile(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"The CA file '{path}' is not PEM certificates ({e.Message}); give a file of -----BEGIN CERTIFICATE----- blocks.", nameof(path), e);
        }
        if (roots.Count == 0)
            throw new ArgumentException($"The CA file '{path}' holds no certificate; give a file of -----BEGIN CERTIFICATE----- blocks.", nameof(path));
        TrustedRoots = roots;
        return this;
    }
}
