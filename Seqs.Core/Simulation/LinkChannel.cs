using System.Buffers;

namespace Seqs.Simulation;

/// <summary>
/// One direction of a virtual cable (a <see cref="VirtualLink"/> end to end, or a <see cref="VirtualSwitch"/> port
/// in or out): applies its <see cref="LinkFaults"/>, with its own seeded random source, and counts what it did.
/// </summary>
public sealed class LinkChannel
{
    private readonly WireEventQueue _events;
    private readonly IFrameSink _destination;
    private readonly VirtualNic? _sender;
    private readonly Random _random;
    private TimeSpan _wireFreeAt;
    private TimeSpan _lastArrival;

    /// <param name="direction">0 for A→B or NIC→switch, 1 for the way back; added to the seed.</param>
    internal LinkChannel(WireEventQueue events, LinkFaults faults, int direction, IFrameSink destination, VirtualNic? sender)
    {
        faults.Validate();
        _events = events;
        Faults = faults;
        _destination = destination;
        _sender = sender;
        _random = new Random(unchecked(faults.Seed + direction));
    }

    public LinkFaults Faults { get; }

    /// <summary>Frames waiting for or occupying the wire now; always 0 without a rate limit.</summary>
    public int QueuedFrames { get; private set; }

    /// <summary>Frames that entered the wire (queue overflows excluded).</summary>
    public long FramesSent { get; private set; }

    /// <summary>Frames that reached the far end, duplicates included.</summary>
    public long FramesArrived { get; private set; }

    public long FramesLost { get; private set; }

    public long FramesDuplicated { get; private set; }

    public long FramesReordered { get; private set; }

    public long FramesCorrupted { get; private set; }

    /// <summary>Frames dropped because <see cref="LinkFaults.QueueCapacity"/> frames were already queued.</summary>
    public long FramesOverflowed { get; private set; }

    /// <summary>Puts a copy of <paramref name="frame"/> on the wire now; false when the queue was full and it was dropped.</summary>
    internal bool Send(ReadOnlySpan<byte> frame)
    {
        LinkFaults faults = Faults;
        if (faults.BitsPerSecond > 0 && QueuedFrames >= faults.QueueCapacity)
        {
            FramesOverflowed++;
            return false;
        }
        FramesSent++;

        // Every frame takes the same draws in the same order, whatever the probabilities, so that a seed replays
        // exactly and changing one probability leaves the other decisions alone.
        double lossRoll = _random.NextDouble();
        double duplicationRoll = _random.NextDouble();
        double reorderRoll = _random.NextDouble();
        double corruptionRoll = _random.NextDouble();
        int corruptionBit = _random.Next();
        double jitterRoll = _random.NextDouble();

        TimeSpan now = _events.Clock.Elapsed;
        TimeSpan serialised = now;
        if (faults.BitsPerSecond > 0)
        {
            TimeSpan start = _wireFreeAt > now ? _wireFreeAt : now;
            serialised = start + SerialisationTime(frame.Length, faults.BitsPerSecond);
            _wireFreeAt = serialised;
            QueuedFrames++;
            _events.Schedule(serialised, this, null, 0);
        }

        if (lossRoll < faults.LossProbability)
        {
            FramesLost++;
            return true;
        }

        TimeSpan arrival = serialised + faults.PropagationDelay + new TimeSpan((long)(jitterRoll * faults.Jitter.Ticks));
        if (arrival < _lastArrival)
            arrival = _lastArrival;
        if (reorderRoll < faults.ReorderProbability && faults.ReorderDelay > TimeSpan.Zero)
        {
            FramesReordered++;
            arrival += faults.ReorderDelay;
        }
        else
        {
            _lastArrival = arrival;
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(frame.Length, 1));
        frame.CopyTo(copy);
        if (corruptionRoll < faults.CorruptionProbability && frame.Length > 0)
        {
            FramesCorrupted++;
            int bit = corruptionBit % (frame.Length * 8);
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        _events.Schedule(arrival, this, copy, frame.Length);

        if (duplicationRoll < faults.DuplicationProbability)
        {
            FramesDuplicated++;
            byte[] duplicate = ArrayPool<byte>.Shared.Rent(Math.Max(frame.Length, 1));
            copy.AsSpan(0, frame.Length).CopyTo(duplicate);
            _events.Schedule(arrival, this, duplicate, frame.Length);
        }
        return true;
    }

    internal void OnEvent(in WireEvent item)
    {
        if (item.Frame is not { } frame)
        {
            QueuedFrames--;
            _sender?.OnTransmitRoom();
            return;
        }
        try
        {
            FramesArrived++;
            ReadOnlySpan<byte> bytes = frame.AsSpan(0, item.Length);
            if (_destination is VirtualNic nic)
                _events.Tap?.Invoke(item.Time, nic, bytes);
            _destination.Accept(bytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>n bytes at r bit/s take n × 8 / r seconds, rounded up to a whole tick.</summary>
    private static TimeSpan SerialisationTime(int length, long bitsPerSecond)
    {
        long bitTicks = (long)length * 8 * TimeSpan.TicksPerSecond;
        return new TimeSpan((bitTicks + bitsPerSecond - 1) / bitsPerSecond);
    }
}
