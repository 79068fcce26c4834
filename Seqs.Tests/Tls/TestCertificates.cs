using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Seqs.Tests.Tls;

/// <summary>Certificates made for one test (never committed keys): a CA, and server certificates it issues.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 CreateCa(string name = "Seqs Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddYears(-1), now.AddYears(5));
    }

    /// <summary>
    /// A server certificate from <paramref name="ca"/> (self-signed when null) for <paramref name="dnsName"/> and <paramref name="address"/>,
    /// with an ECDSA P-256 key or, with <paramref name="rsa"/>, an RSA 2048 one, valid from
    /// <paramref name="notBefore"/> (a day ago) to <paramref name="notAfter"/> (in 30 days).
    /// </summary>
    public static X509Certificate2 Issue(X509Certificate2? ca, string dnsName, IPAddress? address = null, bool rsa = false,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = key is RSA r
            ? new CertificateRequest($"CN={dnsName}", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={dnsName}", (ECDsa)key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        if (address is not null)
            names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (ca is null)
            return request.CreateSelfSigned(notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30));
        using ECDsa caKey = ca.GetECDsaPrivateKey()!;
        using X509Certificate2 issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30), RandomNumberGenerator.GetBytes(8));
        return key is RSA rsaKey ? issued.CopyWithPrivateKey(rsaKey) : issued.CopyWithPrivateKey((ECDsa)key);
    }

    /// <summary>Writes the certificate and, when it has one, its private key as PEM files; returns their paths.</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string pathPrefix)
    {
        string certificatePath = pathPrefix + ".crt", keyPath = pathPrefix + ".key";
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        if (certificate.HasPrivateKey)
        {
            AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()!;
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }
        return (certificatePath, keyPath);
    }
}
