using Seqs.Hal;
using Seqs.Wire;

namespace Seqs.Tests.Support;

/// <summary>A NIC whose received frames are queued by the test and whose transmitted frames are kept for it to inspect.</summary>
internal sealed class QueuedNic(MacAddress macAddress) : IEthernetNic
{
    public Queue<byte[]> Incoming { get; } = new();

    public List<byte[]> Transmitted { get; } = [];

    /// <summary>When false, TryTransmit reports back-pressure.</summary>
    public bool HasTransmitRoom { get; set; } = true;

    public Action? ArmedWakeUp { get; private set; }

    public MacAddress MacAddress { get; } = macAddress;

    public int MaxFrameSize => 1514;

    public bool IsLinkUp { get; private set; } = true;

    public event EventHandler? LinkStateChanged;

    public void SetLinkUp(bool up)
    {
        IsLinkUp = up;
        LinkStateChanged?.Invoke(this, EventArgs.Empty);
    }

    public bool TryReceive(Span<byte> buffer, out int length)
    {
        length = 0;
        if (!Incoming.TryDequeue(out byte[]? frame))
            return false;
        frame.CopyTo(buffer);
        length = frame.Length;
        return true;
    }

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (!HasTransmitRoom)
            return false;
        Transmitted.Add(frame.ToArray());
        return true;
    }

    public void ArmWakeUp(Action wakeUp) => ArmedWakeUp = wakeUp;
}
