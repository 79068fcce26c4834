using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Seqs.Tests.Tls;

namespace Seqs.Tests.Interop;

/// <summary>
/// The device's HTTPS (<c>--https-port</c>) as a user meets it: the self-signed certificate made at first start,
/// trusted by curl and openssl s_client through its file and by headless Chromium through its public key pin; plain
/// HTTP redirecting with 308 and refusing the token endpoint; and <c>seqs-device get https://</c> checking a server.
/// </summary>
public sealed partial class DeviceProcessTests
{
    [Test]
    [Category("Interop")]
    public void HttpsDevice_SelfSignedCertificate_TrustedByCurlAndOpenssl_PlainHttpRedirectsAndRefusesTheToken()
    {
        using var ns = NetworkNamespace.Create("ping", "curl", "openssl");
        string tap = AddPersistentTap(ns);
        string state = Directory.CreateTempSubdirectory("seqs-https-").FullName;
        try
        {
            using BackgroundCommand device = StartHttpsDevice(ns, tap, state);
            string certificatePath = Path.Combine(state, "https-certificate.pem");
            string address = DeviceAddress.Address.ToString();
            Assert.That(StackOnTap.WaitFor(() => device.HasExited || File.Exists(certificatePath), StartPatience) && !device.HasExited, Is.True, device.Output);
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);

            string fingerprint = BitConverter.ToString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Replace('-', ':');
            Assert.That(StackOnTap.WaitFor(() => device.Output.Contains(fingerprint, StringComparison.Ordinal), StartPatience), Is.True, "the fingerprint is logged: " + device.Output);
            if (!OperatingSystem.IsWindows())
                Assert.That(File.GetUnixFileMode(Path.Combine(state, "https-key.pem")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(certificate.GetECDsaPublicKey()?.KeySize, Is.EqualTo(256), "ECDSA P-256");

            // The fingerprint is logged as the certificate is made, just before the HTTPS listener starts: a refused
            // connection is retried.
            CommandResult status = ns.Exec($"curl -sS --retry 10 --retry-connrefused --retry-delay 1 --max-time 10 --cacert {certificatePath} https://{address}/api/status", TimeSpan.FromSeconds(60));
            Assert.That(status.ExitCode, Is.Zero, status.ToString());
            Assert.That(status.StandardOutput, Does.Contain($"\"address\":\"{address}\""), status.ToString());

            CommandResult openssl = ns.Exec($"echo | openssl s_client -connect {address}:443 -CAfile {certificatePath} -verify_return_error -verify_ip {address}", TimeSpan.FromSeconds(30));
            Assert.That(openssl.StandardOutput, Does.Contain("Verify return code: 0 (ok)"), openssl.ToString());

            CommandResult redirect = ns.Exec($"curl -sS --max-time 10 -o /dev/null -w '%{{http_code}} %{{redirect_url}}' http://{address}/api/status?x=1", TimeSpan.FromSeconds(30));
            Assert.That(redirect.StandardOutput, Is.EqualTo($"308 https://{address}/api/status?x=1"), redirect.ToString());

            string led = $"-X POST -H 'Authorization: Bearer {AccessToken}' '{{0}}://{address}/api/led?on=true'";
            CommandResult plainLed = ns.Exec($"curl -sS --max-time 10 -w ' %{{http_code}}' {string.Format(System.Globalization.CultureInfo.InvariantCulture, led, "http")}", TimeSpan.FromSeconds(30));
            Assert.That(plainLed.StandardOutput, Does.EndWith(" 403").And.Contain("HTTPS only"), plainLed.ToString());
            CommandResult secureLed = ns.Exec($"curl -sS --max-time 10 --cacert {certificatePath} {string.Format(System.Globalization.CultureInfo.InvariantCulture, led, "https")}", TimeSpan.FromSeconds(30));
            Assert.That(secureLed.StandardOutput, Is.EqualTo("{\"ledOn\":true}"), secureLed.ToString());

            CommandResult untrusted = ns.Exec($"curl -sS --max-time 10 https://{address}/", TimeSpan.FromSeconds(30));
            Assert.That(untrusted.ExitCode, Is.Not.Zero, "curl refuses a self-signed certificate it was not given: " + untrusted);

            Signal(device, "INT");
            AssertStoppedCleanly(device);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    [Category("Interop")]
    public void HttpsDevice_StatusPageInHeadlessChromium_AcceptedByPublicKeyPin_ShowsTheAddress()
    {
        using var ns = NetworkNamespace.Create("ping", "curl", "chromium");
        string tap = AddPersistentTap(ns);
        string state = Directory.CreateTempSubdirectory("seqs-https-").FullName;
        string profile = Directory.CreateTempSubdirectory("seqs-chromium-").FullName;
        try
        {
            using BackgroundCommand device = StartHttpsDevice(ns, tap, state);
            string certificatePath = Path.Combine(state, "https-certificate.pem");
            Assert.That(StackOnTap.WaitFor(() => device.HasExited || File.Exists(certificatePath), StartPatience) && !device.HasExited, Is.True, device.Output);
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
            string pin = Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
            Assert.That(StackOnTap.WaitFor(() => device.Output.Contains($"sha256/{pin}", StringComparison.Ordinal), StartPatience), Is.True, "the pin is logged for exactly this use: " + device.Output);

            // The pin is logged as the certificate is made, just before the HTTPS listener starts: wait for it to listen.
            CommandResult listening = ns.Exec($"curl -sS -k --retry 10 --retry-connrefused --retry-delay 1 --max-time 10 -o /dev/null https://{DeviceAddress.Address}/", TimeSpan.FromSeconds(60));
            Assert.That(listening.ExitCode, Is.Zero, listening.ToString());
            string chromium = $"chromium --headless=new --no-sandbox --disable-gpu --user-data-dir={profile} --virtual-time-budget=5000 --dump-dom";
            CommandResult page = ns.Exec($"{chromium} --ignore-certificate-errors-spki-list={pin} https://{DeviceAddress.Address}/", TimeSpan.FromSeconds(90));
            Assert.That(page.StandardOutput, Does.Contain($"<td id=\"address\">{DeviceAddress.Address}"), page.ToString());

            CommandResult unpinned = ns.Exec($"{chromium} https://{DeviceAddress.Address}/", TimeSpan.FromSeconds(90));
            Assert.That(unpinned.StandardOutput, Does.Not.Contain("id=\"address\""), "without the pin Chromium refuses the self-signed certificate");
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    [Category("Interop")]
    public void GetHttps_ChecksTheServerAgainstTheCaFile_AndInsecureWarns()
    {
        using var ns = NetworkNamespace.Create("openssl", "ss");
        string tap = AddPersistentTap(ns);
        string files = Directory.CreateTempSubdirectory("seqs-get-").FullName;
        try
        {
            using X509Certificate2 ca = TestCertificates.CreateCa();
            using X509Certificate2 server = TestCertificates.Issue(ca, "server.test", KernelSide.Address.ToIPAddress());
            string caPath = TestCertificates.WritePem(ca, Path.Combine(files, "ca")).Certificate;
            using X509Certificate2 stranger = TestCertificates.CreateCa("Stranger CA");
            string strangerPath = TestCertificates.WritePem(stranger, Path.Combine(files, "stranger")).Certificate;
            (string certificatePath, string keyPath) = TestCertificates.WritePem(server, Path.Combine(files, "server"));
            ns.Start($"exec openssl s_server -accept {KernelSide.Address}:4433 -cert {certificatePath} -key {keyPath} -www");
            ns.ExecChecked("for i in $(seq 100); do ss -ltn | grep -q ':4433 ' && exit 0; sleep 0.1; done; exit 1", TimeSpan.FromSeconds(15));
            string[] device = ["--nic", "tap", "--tap-name", tap, "--ip", DeviceAddress.ToString()];
            string url = $"https://{KernelSide.Address}:4433/";

            CommandResult trusted = RunGet(ns, [url, "--ca-file", caPath, .. device]);
            Assert.That(trusted.ExitCode, Is.Zero, trusted.ToString());
            Assert.That(trusted.StandardOutput, Does.Contain("s_server"), trusted.ToString());

            CommandResult refused = RunGet(ns, [url, "--ca-file", strangerPath, .. device]);
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(SingleErrorLine(refused), Does.Contain("not issued by a trusted CA"));

            CommandResult insecure = RunGet(ns, [url, "--insecure", .. device]);
            Assert.That(insecure.ExitCode, Is.Zero, insecure.ToString());
            Assert.That(insecure.StandardError, Does.Contain("warning: --insecure accepts any certificate"), insecure.ToString());
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    /// <summary>The device on <paramref name="tap"/> with HTTPS on 443, keeping its state in <paramref name="state"/>.</summary>
    private static BackgroundCommand StartHttpsDevice(NetworkNamespace ns, string tap, string state) =>
        StartDevice(["ip", "netns", "exec", ns.Name, "env", $"STATE_DIRECTORY={state}"],
            ["--nic", "tap", "--tap-name", tap, "--ip", DeviceAddress.ToString(), "--mac", DeviceMac.ToString(), "--https-port", "443"]);

    private static CommandResult RunGet(NetworkNamespace ns, string[] arguments) =>
        HostCommand.Run("ip", ["netns", "exec", ns.Name, DotnetHost(), DevicePath(), "get", .. arguments], TimeSpan.FromSeconds(60));
}
