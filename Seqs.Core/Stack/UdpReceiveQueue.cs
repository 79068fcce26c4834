using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>
/// The datagrams a <see cref="UdpSocket"/> holds until the application reads them: a ring of slots created on the
/// first datagram that has to wait, each with a payload buffer allocated on first use and reused after.
/// </summary>
internal sealed class UdpReceiveQueue(int capacity, int datagramSize)
{
    private Slot[]? _slots;
    private int _head;

    public int Count { get; private set; }

    public bool TryEnqueue(ReadOnlySpan<byte> payload, Ipv4EndPoint sender, Ipv4Address destination)
    {
        if (Count == capacity)
            return false;
        Slot[] slots = _slots ??= new Slot[capacity];
        ref Slot slot = ref slots[(_head + Count) % capacity];
        byte[] buffer = slot.Buffer ??= new byte[datagramSize];
        slot.Length = Math.Min(payload.Length, buffer.Length);
        payload[..slot.Length].CopyTo(buffer);
        slot.Sender = sender;
        slot.Destination = destination;
        Count++;
        return true;
    }

    public bool TryDequeue(Span<byte> destination, out UdpReceiveResult result)
    {
        if (Count == 0)
        {
            result = default;
            return false;
        }
        ref Slot slot = ref _slots![_head];
        int copied = Math.Min(slot.Length, destination.Length);
        slot.Buffer.AsSpan(0, copied).CopyTo(destination);
        result = new UdpReceiveResult(copied, slot.Sender, copied < slot.Length, slot.Destination);
        _head = (_head + 1) % capacity;
        Count--;
        return true;
    }

    private struct Slot
    {
        public byte[]? Buffer;
        public int Length;
        public Ipv4EndPoint Sender;
        public Ipv4Address Destination;
    }
}
