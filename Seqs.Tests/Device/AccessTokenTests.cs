using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Device;
using Seqs.Device.Web;

namespace Seqs.Tests.Device;

public sealed class AccessTokenTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("seqs-token-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void WithoutAConfiguredToken_OneIsGeneratedIntoAnOwnerOnlyFile_AndKeptForTheNextStart()
    {
        string path = Path.Combine(_directory, "state", "access-token");

        AccessToken first = AccessToken.Load(configured: null, path, NullLogger.Instance);
        string stored = File.ReadAllText(path).Trim();
        AccessToken second = AccessToken.Load(configured: null, path, NullLogger.Instance);

        Assert.That(stored, Has.Length.EqualTo(64).And.Match("^[0-9a-f]+$"));
        Assert.That(first.Matches(Encoding.UTF8.GetBytes(stored)), Is.True);
        Assert.That(second.Matches(Encoding.UTF8.GetBytes(stored)), Is.True);
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void AConfiguredToken_IsUsed_AndNoFileIsWritten()
    {
        string path = Path.Combine(_directory, "access-token");

        AccessToken token = AccessToken.Load("0123456789abcdef0123456789abcdef", path, NullLogger.Instance);

        Assert.That(token.Matches("0123456789abcdef0123456789abcdef"u8), Is.True);
        Assert.That(token.Matches("0123456789abcdef0123456789abcdeF"u8), Is.False);
        Assert.That(token.Matches("0123456789abcdef0123456789abcdef0"u8), Is.False);
        Assert.That(token.Matches(""u8), Is.False);
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void AnUnwritableTokenFile_FailsTheStartWithOneLine()
    {
        string blocker = Path.Combine(_directory, "file");
        File.WriteAllText(blocker, "");

        var e = Assert.Throws<DeviceStartException>(() => AccessToken.Load(configured: null, Path.Combine(blocker, "access-token"), NullLogger.Instance));

        Assert.That(e!.Message, Does.Contain("cannot keep the access token").And.Not.Contain('\n'));
    }
}
