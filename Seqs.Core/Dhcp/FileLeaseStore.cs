using System.Globalization;
using System.Text;
using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>
/// Keeps leases in a text file, one per line: <c>address mac client-key state expires-unix-seconds</c>. A save
/// writes a temporary file next to it, flushes it to disk and renames it over the old one, so that a crash leaves
/// either the old or the new file, never a mix: no lease is lost or duplicated. Lines that do not parse are skipped
/// and counted in <see cref="SkippedLines"/>.
/// </summary>
public sealed class FileLeaseStore : ILeaseStore
{
    private const string Header = "# Seqs DHCP leases: address mac client-key state expires-unix-seconds";

    public FileLeaseStore(string path)
    {
        if (string.IsNullOrEmpty(path))
            throw new ArgumentException("A lease file path is needed.", nameof(path));
        Path = path;
    }

    public string Path { get; }

    /// <summary>Lines of the file that <see cref="Load"/> could not read.</summary>
    public int SkippedLines { get; private set; }

    public IReadOnlyList<DhcpLease> Load()
    {
        if (!File.Exists(Path))
            return [];
        var leases = new List<DhcpLease>();
        foreach (string line in File.ReadAllLines(Path, Encoding.ASCII))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (TryParse(line, out DhcpLease lease))
                leases.Add(lease);
            else
                SkippedLines++;
        }
        return leases;
    }

    public void Save(IReadOnlyList<DhcpLease> leases)
    {
        if (leases is null)
            throw new ArgumentNullException(nameof(leases));
        var text = new StringBuilder(Header).Append('\n');
        foreach (DhcpLease lease in leases)
        {
            text.Append(lease.Address.ToString()).Append(' ')
                .Append(lease.HardwareAddress.ToString()).Append(' ')
                .Append(lease.ClientKey).Append(' ')
                .Append(lease.State.ToString()).Append(' ')
                .Append(lease.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        string temporary = Path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text.ToString());
            file.Write(bytes, 0, bytes.Length);
            file.Flush(flushToDisk: true);
        }
        // rename(2) replaces the old file atomically.
#if NET8_0_OR_GREATER
        File.Move(temporary, Path, overwrite: true);
#else
        if (File.Exists(Path))
            File.Replace(temporary, Path, destinationBackupFileName: null);
        else
            File.Move(temporary, Path);
#endif
    }

    private static bool TryParse(string line, out DhcpLease lease)
    {
        lease = default;
        string[] fields = line.Split(' ');
        if (fields.Length != 5
            || !Ipv4Address.TryParse(fields[0].AsSpan(), out Ipv4Address address)
            || !MacAddress.TryParse(fields[1].AsSpan(), out MacAddress mac)
            || !IsHex(fields[2])
            || !Enum.TryParse(fields[3], ignoreCase: false, out DhcpLeaseState state) || state == DhcpLeaseState.Offered
            || !long.TryParse(fields[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long expires)
            || expires is < -62_135_596_800 or > 253_402_300_799)
            return false;
        lease = new DhcpLease(address, mac, fields[2], state, DateTimeOffset.FromUnixTimeSeconds(expires));
        return true;
    }

    private static bool IsHex(string s)
    {
        if (s.Length is 0 or > 510 || s.Length % 2 != 0)
            return false;
        foreach (char c in s)
        {
            if (!(c is (>= '0' and <= '9') or (>= 'A' and <= 'F')))
                return false;
        }
        return true;
    }
}
