using Seqs.Hal;
using Seqs.Wire;

namespace Seqs.Tests.Stack;

/// <summary>A NIC for frame-level tests: the test queues received frames and reads back every transmitted one.</summary>
internal sealed class RecordingNic(MacAddress mac, int maxFrameSize = 1514) : IEthernetNic
{
    private readonly Queue<(byte[] Frame, bool ChecksumVouched)> _incoming = new();

    public MacAddress MacAddress { get; } = mac;

    public int MaxFrameSize { get; } = maxFrameSize;

    public bool IsLinkUp { get; private set; } = true;

    public event EventHandler? LinkStateChanged;

    public List<byte[]> Sent { get; } = [];

    /// <summary>While false, TryTransmit refuses every frame (back-pressure).</summary>
    public bool AcceptsTransmit { get; set; } = true;

    public void Inject(byte[] frame) => _incoming.Enqueue((frame, false));

    /// <summary>Queues <paramref name="frame"/> as one whose TCP or UDP checksum the NIC vouches for, as a TAP does for the host's own segments.</summary>
    public void InjectVouched(byte[] frame) => _incoming.Enqueue((frame, true));

    public void SetLink(bool up)
    {
        IsLinkUp = up;
        LinkStateChanged?.Invoke(this, EventArgs.Empty);
    }

    public List<byte[]> TakeSent()
    {
        List<byte[]> sent = [.. Sent];
        Sent.Clear();
        return sent;
    }

    public bool TryReceive(Span<byte> buffer, out int length) => TryReceive(buffer, out length, out _);

    public bool TryReceive(Span<byte> buffer, out int length, out bool transportChecksumVouched)
    {
        length = 0;
        transportChecksumVouched = false;
        while (_incoming.TryDequeue(out (byte[] Frame, bool ChecksumVouched) next))
        {
            if (next.Frame.Length > buffer.Length)
                continue;
            next.Frame.CopyTo(buffer);
            length = next.Frame.Length;
            transportChecksumVouched = next.ChecksumVouched;
            return true;
        }
        return false;
    }

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!AcceptsTransmit)
            return false;
        Sent.Add(frame.ToArray());
        return true;
    }

    public void ArmWakeUp(Action wakeUp)
    {
        if (_incoming.Count > 0)
            wakeUp();
    }
}
