using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging;
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

        AccessToken first = AccessToken.Load(configured: null, path, TextWriter.Null, NullLogger.Instance);
        string stored = File.ReadAllText(path).Trim();
        AccessToken second = AccessToken.Load(configured: null, path, TextWriter.Null, NullLogger.Instance);

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

        AccessToken token = AccessToken.Load("0123456789abcdef0123456789abcdef", path, TextWriter.Null, NullLogger.Instance);

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

        var e = Assert.Throws<DeviceStartException>(() => AccessToken.Load(configured: null, Path.Combine(blocker, "access-token"), TextWriter.Null, NullLogger.Instance));

        Assert.That(e!.Message, Does.Contain("cannot keep the access token").And.Not.Contain('\n'));
    }

    [Test]
    public void AGeneratedToken_IsPrintedOnceToTheConsole_AndTheLogSaysOnlyWhereItIs()
    {
        string path = Path.Combine(_directory, "access-token");
        var console = new StringWriter();
        var log = new RecordingLogger();

        AccessToken.Load(configured: null, path, console, log);
        AccessToken.Load(configured: null, path, console, log);
        string token = File.ReadAllText(path).Trim();

        Assert.That(console.ToString(), Does.Contain(token));
        Assert.That(console.ToString().Split(token), Has.Length.EqualTo(2), "printed once, at generation");
        Assert.That(log.Entries, Has.Some.Matches<(LogLevel Level, string Message)>(e => e.Message.Contains(path, StringComparison.Ordinal)));
        Assert.That(log.Entries, Has.None.Matches<(LogLevel Level, string Message)>(e => e.Message.Contains(token, StringComparison.Ordinal)));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix file modes and symbolic links")]
    [UnsupportedOSPlatform("windows")]
    public void ATokenFileThatIsASymlink_IsRefused()
    {
        string elsewhere = Path.Combine(_directory, "elsewhere");
        File.WriteAllText(elsewhere, "0123456789abcdef0123456789abcdef\n");
        File.SetUnixFileMode(elsewhere, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string path = Path.Combine(_directory, "access-token");
        File.CreateSymbolicLink(path, elsewhere);

        var e = Assert.Throws<DeviceStartException>(() => AccessToken.Load(configured: null, path, TextWriter.Null, NullLogger.Instance));

        Assert.That(e!.Message, Does.Contain("symbolic link").And.Not.Contain('\n'));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix file modes and symbolic links")]
    [UnsupportedOSPlatform("windows")]
    public void ADanglingSymlinkInPlaceOfTheTokenFile_IsNotFollowedToCreateOne()
    {
        string target = Path.Combine(_directory, "planted");
        string path = Path.Combine(_directory, "access-token");
        File.CreateSymbolicLink(path, target);

        Assert.Throws<DeviceStartException>(() => AccessToken.Load(configured: null, path, TextWriter.Null, NullLogger.Instance));

        Assert.That(File.Exists(target), Is.False);
    }

    [Platform(Exclude = "Win", Reason = "Unix file modes")]
    [UnsupportedOSPlatform("windows")]
    [TestCase(UnixFileMode.GroupRead)]
    [TestCase(UnixFileMode.OtherRead)]
    [TestCase(UnixFileMode.OtherWrite)]
    public void ATokenFileOthersMayReadOrWrite_IsRefusedWithAChmodHint(UnixFileMode extra)
    {
        string path = Path.Combine(_directory, "access-token");
        File.WriteAllText(path, "0123456789abcdef0123456789abcdef\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var e = Assert.Throws<DeviceStartException>(() => AccessToken.Load(configured: null, path, TextWriter.Null, NullLogger.Instance));

        Assert.That(e!.Message, Does.Contain($"chmod 600 {path}").And.Not.Contain('\n'));
    }
}
