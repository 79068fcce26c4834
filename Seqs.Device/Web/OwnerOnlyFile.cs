using System.Text;

namespace Seqs.Device.Web;

/// <summary>Secrets the device generates (its access token, its TLS key) go to files only their owner can read (mode 0600).</summary>
internal static class OwnerOnlyFile
{
    /// <summary>Creates or replaces <paramref name="path"/>, and its directory if need be.</summary>
    public static void Write(string path, string text)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            Directory.CreateDirectory(directory);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new StreamWriter(path, Encoding.ASCII, options);
        file.Write(text);
    }
}
