using System.Device.Spi;

namespace Seqs.Tests.Hal;

/// <summary>
/// A SpiDevice that records the MOSI bytes of each chip-select frame (one per call, as on spidev) and answers on
/// MISO with scripted bytes, then 0xFF (an idle, pulled-up line).
/// </summary>
internal sealed class FakeSpiDevice(SpiConnectionSettings settings) : SpiDevice
{
    private readonly Queue<byte> _miso = new();

    public List<byte[]> Frames { get; } = [];

    public bool IsDisposed { get; private set; }

    public override SpiConnectionSettings ConnectionSettings => settings;

    public void EnqueueMiso(params byte[] bytes)
    {
        foreach (byte b in bytes)
            _miso.Enqueue(b);
    }

    public override void Read(Span<byte> buffer)
    {
        Frames.Add(new byte[buffer.Length]);
        ClockIn(buffer);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Frames.Add(buffer.ToArray());
        ClockIn(stackalloc byte[buffer.Length]);
    }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length)
            throw new ArgumentException("spidev clocks as many bytes in as out.", nameof(readBuffer));
        Frames.Add(writeBuffer.ToArray());
        ClockIn(readBuffer);
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }

    private void ClockIn(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
            buffer[i] = _miso.TryDequeue(out byte b) ? b : (byte)0xFF;
    }
}
