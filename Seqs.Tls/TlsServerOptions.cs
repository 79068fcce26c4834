using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Seqs.Tls;

/// <summary>How <see cref="TlsConnection.AuthenticateAsServerAsync"/> answers clients.</summary>
public sealed class TlsServerOptions
{
    private SslStreamCertificateContext? _context;

    /// <param name="certificate">The server's certificate, with its private key.</param>
    /// <param name="intermediates">The CA certificates between it and a root, sent with it.</param>
    public TlsServerOptions(X509Certificate2 certificate, X509Certificate2Collection? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"The server certificate {certificate.Subject} has no private key; give the key with it.", nameof(certificate));
        Certificate = certificate;
        Intermediates = intermediates;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection? Intermediates { get; }

    /// <summary>The protocols accepted; <see cref="SslProtocols.None"/> (the default) lets the system choose.</summary>
    public SslProtocols EnabledProtocols { get; set; }

    /// <summary>How long a client has to finish its handshake before the connection is dropped; 10 s by default.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The certificate and its chain, built once for all connections; offline, as the device's stack is not the
    /// kernel's and .NET must not fetch anything for it.
    /// </summary>
    internal SslStreamCertificateContext CertificateContext =>
        _context ??= SslStreamCertificateContext.Create(Certificate, Intermediates, offline: true);
}
