using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Seqs.Device.Web;

/// <summary>
/// The secret that every changing endpoint asks for (<c>Authorization: Bearer TOKEN</c>): configured, or generated
/// at the first start and kept in a file only its owner may read. Only the token's SHA-256 is held, and a
/// presented token is hashed and compared in constant time, so neither timing nor length says how close a guess was.
/// </summary>
internal sealed partial class AccessToken
{
    /// <summary>256 random bits.</summary>
    private const int GeneratedBytes = 32;

    private readonly byte[] _hash;

    private AccessToken(string token) => _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>
    /// The configured token; or the one in <paramref name="path"/>; or a new one stored there (mode 0600), printed
    /// once to <paramref name="console"/> and never logged, since the log may be kept (the journal) and read by others.
    /// </summary>
    /// <exception cref="DeviceStartException">
    /// The token file cannot be read or written, is a symbolic link, or others than its owner may read or write it.
    /// </exception>
    public static AccessToken Load(string? configured, string path, TextWriter console, ILogger log)
    {
        if (configured is not null)
            return new AccessToken(configured);
        var file = new FileInfo(Path.GetFullPath(path));
        try
        {
            if (file.Exists || file.LinkTarget is not null)
            {
                if (OwnerOnlyFile.Distrust(file) is string reason)
                    throw new DeviceStartException($"refusing the access token file: {reason}.");
                string stored = File.ReadAllText(file.FullName).Trim();
                if (stored.Length > 0)
                {
                    Log.Loaded(log, file.FullName);
                    return new AccessToken(stored);
                }
                // Empty: made by hand, or a start that stopped before writing; the plain owner-only file is replaced.
                file.Delete();
            }
            string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(GeneratedBytes));
            OwnerOnlyFile.Create(file.FullName, token + "\n");
            console.WriteLine($"Access token for the LED and settings (printed only now; kept in {file.FullName}): {token}");
            Log.Generated(log, file.FullName);
            return new AccessToken(token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeviceStartException($"cannot keep the access token in {file.FullName}: {e.Message.TrimEnd('.')}; give a writable --token-file PATH, or an --access-token.", e);
        }
    }

    /// <summary>True when <paramref name="presented"/> (UTF-8) is the token.</summary>
    public bool Matches(ReadOnlySpan<byte> presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(presented, hash);
        return CryptographicOperations.FixedTimeEquals(hash, _hash);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Access token for the LED and settings: a new one, printed to the console only, and kept in {Path}")]
        public static partial void Generated(ILogger logger, string path);

        [LoggerMessage(2, LogLevel.Information, "Access token: the one kept in {Path}")]
        public static partial void Loaded(ILogger logger, string path);
    }
}
