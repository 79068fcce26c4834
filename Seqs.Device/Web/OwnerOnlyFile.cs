using System.Text;

namespace Seqs.Device.Web;

/// <summary>
/// Secrets the device generates (its access token, its TLS key) go to files only their owner can read (mode 0600),
/// and a secret is read only from such a file.
/// </summary>
internal static class OwnerOnlyFile
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>
    /// Creates <paramref name="path"/>, and its directory if need be. <see cref="FileMode.CreateNew"/> is
    /// <c>O_CREAT | O_EXCL</c>, which fails on any name that exists, a symbolic link included, so a link planted
    /// where the file goes is never followed.
    /// </summary>
    public static void Create(string path, string text)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            Directory.CreateDirectory(directory);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new StreamWriter(path, Encoding.ASCII, options);
        file.Write(text);
    }

    /// <summary>
    /// Why <paramref name="file"/> cannot be trusted with a secret, as the end of a sentence that says what to do;
    /// null when it is not a symbolic link and neither group nor others may read or write it.
    /// </summary>
    public static string? Distrust(FileInfo file)
    {
        if (file.LinkTarget is string target)
            return $"{file.FullName} is a symbolic link (to {target}), and a secret is read from a plain file only; put the file itself there";
        if (!OperatingSystem.IsWindows() && (file.UnixFileMode & GroupOrOthers) != 0)
            return $"others than its owner may read or write {file.FullName} (mode {Convert.ToString((int)file.UnixFileMode, 8).PadLeft(4, '0')}); chmod 600 {file.FullName} if the secret in it is still yours, else delete it";
        return null;
    }
}
