using Seqs.Hal;
using Seqs.Wire;

namespace Seqs.Diagnostics;

/// <summary>
/// An <see cref="IEthernetNic"/> that forwards to another and records each frame received and each frame
/// transmitted (accepted by the inner NIC) into a <see cref="PcapWriter"/>, stamped with the injected clock.
/// Owns neither the inner NIC nor the writer. Transmitted frames are recorded as given, before any padding the
/// inner NIC adds.
/// </summary>
public sealed class CapturingNic : IEthernetNic
{
    private readonly IEthernetNic _inner;
    private readonly PcapWriter _writer;
    private readonly TimeProvider _timeProvider;

    public CapturingNic(IEthernetNic inner, PcapWriter writer, TimeProvider timeProvider)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _inner.LinkStateChanged += OnInnerLinkStateChanged;
    }

    public MacAddress MacAddress => _inner.MacAddress;

    public int MaxFrameSize => _inner.MaxFrameSize;

    public int MaxReceiveFrameSize => _inner.MaxReceiveFrameSize;

    public int MaxSegmentationFrameSize => _inner.MaxSegmentationFrameSize;

    public bool IsLinkUp => _inner.IsLinkUp;

    /// <summary>Raised with this NIC as the sender whenever the inner NIC raises it.</summary>
    public event EventHandler? LinkStateChanged;

    public bool TryReceive(Span<byte> buffer, out int length)
    {
        if (!_inner.TryReceive(buffer, out length))
            return false;
        _writer.Write(buffer[..length], _timeProvider.GetUtcNow());
        return true;
    }

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!_inner.TryTransmit(frame))
            return false;
        _writer.Write(frame, _timeProvider.GetUtcNow());
        return true;
    }

    /// <summary>Records the large segment as handed over, before the inner NIC cuts it up: its TCP checksum field is not filled in.</summary>
    public bool TryTransmitSegmented(ReadOnlySpan<byte> frame, int segmentSize)
    {
        if (!_inner.TryTransmitSegmented(frame, segmentSize))
            return false;
        _writer.Write(frame, _timeProvider.GetUtcNow());
        return true;
    }

    public void ArmWakeUp(Action wakeUp) => _inner.ArmWakeUp(wakeUp);

    private void OnInnerLinkStateChanged(object? sender, EventArgs e) => LinkStateChanged?.Invoke(this, e);
}
