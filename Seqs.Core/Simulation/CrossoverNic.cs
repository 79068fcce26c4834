using Seqs.Hal;
using Seqs.Wire;

namespace Seqs.Simulation;

/// <summary>
/// One end of a crossover cable with nothing on it: a frame sent by one end is copied straight into the other's
/// receive ring, with no delay, no faults and no clock. The cheapest link there is, for benchmarks of the stack's
/// own cost and for tests that step loops by hand. Not thread-safe: both ends belong to one thread.
/// </summary>
public sealed class CrossoverNic : IEthernetNic
{
    private readonly byte[][] _ring;
    private readonly int[] _lengths;
    private CrossoverNic _peer = null!;
    private Action? _wakeUp;
    private int _head;
    private int _count;

    private CrossoverNic(MacAddress macAddress, int maxFrameSize, int ringFrames)
    {
        MacAddress = macAddress;
        MaxFrameSize = maxFrameSize;
        _ring = new byte[ringFrames][];
        for (int i = 0; i < ringFrames; i++)
            _ring[i] = new byte[maxFrameSize];
        _lengths = new int[ringFrames];
    }

    /// <summary>Two connected ends; each holds up to <paramref name="ringFrames"/> frames the other sent.</summary>
    public static (CrossoverNic A, CrossoverNic B) CreatePair(MacAddress a, MacAddress b, int maxFrameSize = 1514, int ringFrames = 8)
    {
        if (ringFrames < 1)
            throw new ArgumentOutOfRangeException(nameof(ringFrames), ringFrames, "The ring must hold at least one frame.");
        var endA = new CrossoverNic(a, maxFrameSize, ringFrames);
        var endB = new CrossoverNic(b, maxFrameSize, ringFrames);
        endA._peer = endB;
        endB._peer = endA;
        return (endA, endB);
    }

    public MacAddress MacAddress { get; }

    public int MaxFrameSize { get; }

    public bool IsLinkUp => true;

    public event EventHandler? LinkStateChanged
    {
        add { }
        remove { }
    }

    public bool TryReceive(Span<byte> buffer, out int length)
    {
        while (_count > 0)
        {
            length = _lengths[_head];
            byte[] frame = _ring[_head];
            _head = (_head + 1) % _ring.Length;
            _count--;
            if (length <= buffer.Length)
            {
                frame.AsSpan(0, length).CopyTo(buffer);
                return true;
            }
        }
        length = 0;
        return false;
    }

    /// <summary>Copies the frame into the other end's ring; false when that ring is full.</summary>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > MaxFrameSize)
            throw new ArgumentException($"A {frame.Length}-byte frame exceeds the {MaxFrameSize}-byte maximum.", nameof(frame));
        return _peer.Accept(frame);
    }

    public void ArmWakeUp(Action wakeUp)
    {
        _wakeUp = wakeUp;
        if (_count > 0)
            FireWakeUp();
    }

    private bool Accept(ReadOnlySpan<byte> frame)
    {
        if (_count == _ring.Length)
            return false;
        int slot = (_head + _count) % _ring.Length;
        frame.CopyTo(_ring[slot]);
        _lengths[slot] = frame.Length;
        _count++;
        FireWakeUp();
        return true;
    }

    private void FireWakeUp()
    {
        Action? wakeUp = _wakeUp;
        _wakeUp = null;
        wakeUp?.Invoke();
    }
}
