using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>
/// The datagrams a <see cref="UdpSocket"/> holds until the application reads them: a ring of slots whose buffers
/// are allocated on first use and reused.
/// </summary>
internal sealed class UdpReceiveQueue
{
    private readonly byte[]?[] _buffers;
    private readonly int[] _lengths;
    private readonly Ipv4EndPoint[] _senders;
    private readonly int _datagramSize;
    private int _head;

    public UdpReceiveQueue(int capacity, int datagramSize)
    {
        _buffers = new byte[capacity][];
        _lengths = new int[capacity];
        _senders = new Ipv4EndPoint[capacity];
        _datagramSize = datagramSize;
    }

    public int Count { get; private set; }

    public bool TryEnqueue(ReadOnlySpan<byte> payload, Ipv4EndPoint sender)
    {
        if (Count == _buffers.Length)
            return false;
        int slot = (_head + Count) % _buffers.Length;
        byte[] buffer = _buffers[slot] ??= new byte[_datagramSize];
        int length = Math.Min(payload.Length, buffer.Length);
        payload[..length].CopyTo(buffer);
        _lengths[slot] = length;
        _senders[slot] = sender;
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
        int length = _lengths[_head];
        int copied = Math.Min(length, destination.Length);
        _buffers[_head].AsSpan(0, copied).CopyTo(destination);
        result = new UdpReceiveResult(copied, _senders[_head], copied < length);
        _head = (_head + 1) % _buffers.Length;
        Count--;
        return true;
    }
}
