using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Seqs.Tls;

/// <summary>
/// Why a server's certificate was refused, in a sentence that says what to fix: SslStream only reports flags
/// (<see cref="SslPolicyErrors"/>, <see cref="X509ChainStatusFlags"/>), and "RemoteCertificateChainErrors" does not
/// tell a user that the certificate expired or that the device's clock is wrong.
/// </summary>
internal static class CertificateVerdict
{
    /// <summary>Null when the certificate is acceptable, else why not.</summary>
    public static string? Explain(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, DateTimeOffset verifiedAt)
    {
        if (errors == SslPolicyErrors.None)
            return null;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return $"{host} sent no certificate.";
        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chain is not null && ChainProblem(chain, verifiedAt) is string problem)
            return $"The certificate of {host} ({leaf.Subject}) {problem}";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"The certificate of {host} is for {Names(leaf)}, not for {host}: connect by one of those names, or give the server a certificate for {host}.";
        return $"The certificate of {host} ({leaf.Subject}) was refused: {errors}.";
    }

    /// <summary>The first problem of the chain, leaf first, as the end of a sentence; null when it has none.</summary>
    private static string? ChainProblem(X509Chain chain, DateTimeOffset verifiedAt)
    {
        string at = verifiedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);
        foreach (X509ChainElement element in chain.ChainElements)
        {
            X509Certificate2 c = element.Certificate;
            foreach (X509ChainStatus status in element.ChainElementStatus)
            {
                switch (status.Status)
                {
                    case X509ChainStatusFlags.NotTimeValid when verifiedAt.UtcDateTime > c.NotAfter.ToUniversalTime():
                        return $"{Whose(c, chain)}expired on {c.NotAfter.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)} (the clock said {at}).";
                    case X509ChainStatusFlags.NotTimeValid:
                        return $"{Whose(c, chain)}is not valid before {c.NotBefore.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)} (the clock said {at}; if that is wrong, synchronise the clock, by NTP, first).";
                    case X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain:
                        return Untrusted(chain);
                    case X509ChainStatusFlags.NoError:
                        break;
                    default:
                        return $"{Whose(c, chain)}failed the chain check: {status.Status} ({status.StatusInformation.Trim()}).";
                }
            }
        }
        foreach (X509ChainStatus status in chain.ChainStatus)
        {
            if (status.Status is X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain)
                return Untrusted(chain);
        }
        return null;
    }

    private static string Untrusted(X509Chain chain) =>
        $"was not issued by a trusted CA (the last certificate of its chain is {chain.ChainElements[^1].Certificate.Subject}): give its CA with --ca-file (TlsClientOptions.TrustedRoots), or have the server send its intermediates.";

    private static string Whose(X509Certificate2 certificate, X509Chain chain) =>
        chain.ChainElements[0].Certificate.Thumbprint == certificate.Thumbprint ? "" : $"has an issuer ({certificate.Subject}) that ";

    /// <summary>The DNS names and addresses a certificate is for (RFC 6125 §6.4: the subject alternative names).</summary>
    private static string Names(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                names.AddRange(san.EnumerateIPAddresses().Select(a => a.ToString()));
            }
        }
        return names.Count > 0 ? string.Join(", ", names) : certificate.Subject;
    }
}
