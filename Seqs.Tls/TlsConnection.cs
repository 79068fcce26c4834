using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Seqs.Dns;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tls;

/// <summary>
/// TLS over the stack's TCP in one call: <see cref="ConnectAsync"/> for a client,
/// <see cref="AuthenticateAsServerAsync"/> for a connection a server accepted. Both give a <see cref="TlsStream"/>
/// whose handshake, encryption and certificate checks run on the thread pool, never on the stack's loop.
/// </summary>
public static class TlsConnection
{
    /// <summary>
    /// Resolves <paramref name="host"/> through the stack's DNS (an address is used as is), connects to
    /// <paramref name="port"/> and authenticates the server as <paramref name="host"/> (which is also sent by SNI).
    /// Throws <see cref="System.Net.Sockets.SocketException"/> when the connection fails,
    /// <see cref="DnsResolveException"/> when the name does not resolve and <see cref="AuthenticationException"/>,
    /// saying why, when the server's certificate is refused.
    /// </summary>
    public static async Task<TlsStream> ConnectAsync(NetStack stack, string host, int port, TlsClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue);
        options ??= new TlsClientOptions();
        if (!Ipv4Address.TryParse(host.AsSpan(), out Ipv4Address address))
        {
            DnsResolver resolver = options.Resolver ?? new DnsResolver(stack);
            address = (await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false))[0];
        }
        var connection = new TcpConnection(stack.Tcp, options.Tcp);
        try
        {
            await connection.ConnectAsync(new Ipv4EndPoint(address, (ushort)port), cancellationToken).ConfigureAwait(false);
            return await AuthenticateAsClientAsync(connection, options.TargetHostName ?? host, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The client handshake on an open <paramref name="connection"/>, checking that the server is
    /// <paramref name="targetHost"/>. The stream owns the connection. Throws <see cref="AuthenticationException"/>,
    /// saying why, when the certificate is refused or the clock cannot judge it yet.
    /// </summary>
    public static async Task<TlsStream> AuthenticateAsClientAsync(TcpConnection connection, string targetHost, TlsClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(targetHost);
        options ??= new TlsClientOptions();
        DateTimeOffset verifiedAt = VerificationTime(targetHost, options);
        await new LoopExit();
        var transport = new OffLoopTransport(connection, ownsConnection: true);
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        string? refusal = null;
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            EnabledSslProtocols = options.EnabledProtocols,
            CertificateChainPolicy = ChainPolicy(options, verifiedAt),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (options.SkipCertificateValidation)
                    return true;
                refusal = CertificateVerdict.Explain(targetHost, certificate, chain, errors, verifiedAt);
                return refusal is null;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e) when (refusal is not null)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new AuthenticationException(refusal, e);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new TlsStream(ssl, transport);
    }

    /// <summary>
    /// The server handshake on a connection a listener accepted. The stream owns the connection unless
    /// <paramref name="leaveConnectionOpen"/> (for a server that reuses its connections). A client that does not
    /// finish within <see cref="TlsServerOptions.HandshakeTimeout"/> gets <see cref="TimeoutException"/>; a failed
    /// handshake throws <see cref="AuthenticationException"/>.
    /// </summary>
    public static async Task<TlsStream> AuthenticateAsServerAsync(TcpConnection connection, TlsServerOptions options, bool leaveConnectionOpen = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        await new LoopExit();
        var transport = new OffLoopTransport(connection, ownsConnection: !leaveConnectionOpen);
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        var authentication = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = options.CertificateContext,
            EnabledSslProtocols = options.EnabledProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(authentication, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"{connection.RemoteEndPoint} did not finish its TLS handshake within {options.HandshakeTimeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new TlsStream(ssl, transport);
    }

    /// <summary>
    /// TLS for a server of the stack, for <c>HttpServerOptions.ConnectionStream</c> (HTTPS): each connection it
    /// reuses is authenticated with <paramref name="options"/> and left open when the stream is disposed; a client
    /// that fails or abandons its handshake surfaces as the <see cref="IOException"/> the server counts as failed.
    /// </summary>
    public static Func<TcpConnection, CancellationToken, ValueTask<Stream>> ServerStream(TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return async (connection, cancellationToken) =>
        {
            try
            {
                return await AuthenticateAsServerAsync(connection, options, leaveConnectionOpen: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException or TimeoutException)
            {
                throw new IOException($"TLS handshake with {connection.RemoteEndPoint} failed: {e.Message}", e);
            }
        };
    }

    private static DateTimeOffset VerificationTime(string targetHost, TlsClientOptions options)
    {
        if (options.VerificationTime is null)
            return DateTimeOffset.UtcNow;
        if (options.VerificationTime() is DateTimeOffset now)
            return now;
        if (options.SkipCertificateValidation)
            return DateTimeOffset.UtcNow;
        throw new AuthenticationException($"Cannot check the certificate of {targetHost} yet: the clock has not been synchronised (no NTP answer so far), and without the date a certificate's validity cannot be judged. Wait for NTP to answer, or check that the NTP server is reachable.");
    }

    /// <summary>
    /// RFC 5280 §6.1 path validation at <paramref name="verifiedAt"/>, offline: no intermediate or revocation
    /// list is downloaded, as .NET would fetch them through the kernel, which may not be the device's route.
    /// </summary>
    private static X509ChainPolicy ChainPolicy(TlsClientOptions options, DateTimeOffset verifiedAt)
    {
        var policy = new X509ChainPolicy
        {
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
            VerificationTime = verifiedAt.UtcDateTime,
            VerificationTimeIgnored = false,
        };
        if (options.TrustedRoots is { } roots)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots);
        }
        return policy;
    }
}
