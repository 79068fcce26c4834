using Seqs.Diagnostics;
using Seqs.Wire;

namespace Seqs.Tests.Diagnostics;

public sealed class PcapWriterTests
{
    private static readonly DateTimeOffset Timestamp = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6_789_010);

    [Test]
    public void FileHeaderAndRecord_AreLittleEndianLibpcap24WithMicroseconds()
    {
        using var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true))
            writer.Write([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06], Timestamp);

        byte[] expected = Convert.FromHexString(
            // magic a1b2c3d4, version 2.4, thiszone 0, sigfigs 0, snaplen 65535, LINKTYPE_ETHERNET
            "d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "ffff0000" + "01000000" +
            // 2024-01-02T03:04:05Z = 1704164645 = 0x65937d25 s, 678901 = 0x0a5bf5 µs, 14 bytes included of 14
            "257d9365" + "f55b0a00" + "0e000000" + "0e000000" +
            "ffffffffffff" + "020000000001" + "0806");
        Assert.That(stream.ToArray(), Is.EqualTo(expected).AsCollection);
    }

    [Test]
    public void FrameLongerThanTheSnapLength_IsCutButKeepsItsOriginalLength()
    {
        using var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true))
            writer.Write(new byte[PcapWriter.SnapLength + 10], Timestamp);

        byte[] file = stream.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(BitConverter.ToUInt32(file, 24 + 8), Is.EqualTo(PcapWriter.SnapLength), "incl_len");
            Assert.That(BitConverter.ToUInt32(file, 24 + 12), Is.EqualTo(PcapWriter.SnapLength + 10), "orig_len");
            Assert.That(file, Has.Length.EqualTo(24 + 16 + PcapWriter.SnapLength));
        });
    }

    [Test]
    public void Write_AllocatesNothingPerFrame()
    {
        using var stream = new MemoryStream(capacity: 1 << 20);
        using var writer = new PcapWriter(stream, leaveOpen: true);
        byte[] frame = new byte[60];
        writer.Write(frame, Timestamp);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            writer.Write(frame, Timestamp);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.That(after - before, Is.Zero);
    }

    [Test]
    public void Dispose_ClosesTheStreamUnlessLeftOpen()
    {
        var owned = new MemoryStream();
        var borrowed = new MemoryStream();
        new PcapWriter(owned).Dispose();
        new PcapWriter(borrowed, leaveOpen: true).Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(owned.CanWrite, Is.False);
            Assert.That(borrowed.CanWrite, Is.True);
        });
    }

    [Test]
    public void TimestampBeforeTheUnixEpoch_IsRejected()
    {
        using var writer = new PcapWriter(new MemoryStream());
        Assert.That(() => writer.Write(new byte[60], DateTimeOffset.UnixEpoch.AddTicks(-10)), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    [Category("Interop")]
    public void Tshark_ReadsTheAddressesLengthsAndTimesBack()
    {
        InteropEnvironment.RequireTools("tshark");
        string path = Path.Combine(Path.GetTempPath(), $"seqs-{Guid.NewGuid():N}.pcap");
        try
        {
            using (PcapWriter writer = PcapWriter.Create(path))
            {
                writer.Write(Frame(MacAddress.Parse("02:00:00:00:00:01"), MacAddress.Broadcast, length: 60), Timestamp);
                writer.Write(Frame(MacAddress.Parse("02:00:00:00:00:02"), MacAddress.Parse("02:00:00:00:00:01"), length: 1514), Timestamp.AddSeconds(1));
            }

            CommandResult result = HostCommand.Run("tshark", ["-r", path, "-T", "fields", "-e", "eth.src", "-e", "eth.dst", "-e", "frame.len", "-e", "frame.time_epoch"]);

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Is.EqualTo(new[]
            {
                "02:00:00:00:00:01\tff:ff:ff:ff:ff:ff\t60\t1704164645.678901000",
                "02:00:00:00:00:02\t02:00:00:00:00:01\t1514\t1704164646.678901000",
            }).AsCollection);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Frame(MacAddress source, MacAddress destination, int length)
    {
        byte[] frame = new byte[length];
        destination.Write(frame);
        source.Write(frame.AsSpan(6));
        frame[12] = 0x88; // EtherType 0x88B5, IEEE 802 local experimental
        frame[13] = 0xB5;
        return frame;
    }
}
