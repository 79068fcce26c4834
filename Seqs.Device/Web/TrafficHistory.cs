using Seqs.Scheduling;
using Seqs.Stack;

namespace Seqs.Device.Web;

/// <summary>
/// The bytes the stack received and sent in each <see cref="Interval"/> of the last <see cref="Window"/>, for the status
/// page's chart: a ring of <see cref="Capacity"/> samples taken by a timer on the stack's loop. Sampling reads two
/// counters and writes two array slots, so it allocates nothing; the oldest sample gives way to the newest.
/// </summary>
internal sealed class TrafficHistory
{
    /// <summary>One sample per interval: often enough for a live chart, rarely enough to cost nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Ten minutes of samples.</summary>
    public const int Capacity = 120;

    public static TimeSpan Window => Interval * Capacity;

    private readonly long[] _bytesIn = new long[Capacity];
    private readonly long[] _bytesOut = new long[Capacity];
    private readonly NetStack? _stack;
    private readonly NetTimer? _timer;
    private long _lastIn, _lastOut;
    private int _next;

    /// <summary>Samples <paramref name="stack"/>'s byte counters from now on; the first sample one interval from now.</summary>
    public TrafficHistory(NetStack stack)
    {
        _stack = stack;
        _timer = stack.Loop.CreateTimer(OnTimer);
        // Timers are the loop's own: the first is scheduled there, whichever thread builds the device.
        stack.Loop.Post(static state => ((TrafficHistory)state!).Start(), this);
    }

    /// <summary>A history fed by <see cref="Record"/> alone, for tests of what it keeps and how it is drawn.</summary>
    internal TrafficHistory()
    {
    }

    /// <summary>Samples kept, up to <see cref="Capacity"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes received in sample <paramref name="index"/>, 0 the oldest kept.</summary>
    public long BytesIn(int index) => _bytesIn[Slot(index)];

    /// <summary>Bytes sent in sample <paramref name="index"/>, 0 the oldest kept.</summary>
    public long BytesOut(int index) => _bytesOut[Slot(index)];

    /// <summary>
    /// Takes a sample from the stack's running totals: the bytes since the last call (or since the history began).
    /// A total that went down (counters reset) counts from zero.
    /// </summary>
    internal void Record(long totalIn, long totalOut)
    {
        _bytesIn[_next] = totalIn >= _lastIn ? totalIn - _lastIn : totalIn;
        _bytesOut[_next] = totalOut >= _lastOut ? totalOut - _lastOut : totalOut;
        _lastIn = totalIn;
        _lastOut = totalOut;
        _next = (_next + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    private int Slot(int index)
    {
        // One bounds check serves both: a negative index is a huge unsigned one.
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index));
        return (_next - Count + index + Capacity) % Capacity;
    }

    private void Start()
    {
        _lastIn = _stack!.Counters.BytesReceived;
        _lastOut = _stack.Counters.BytesTransmitted;
        _timer!.Schedule(_stack.Loop.Now + Interval);
    }

    private void OnTimer()
    {
        Record(_stack!.Counters.BytesReceived, _stack.Counters.BytesTransmitted);
        _timer!.Schedule(_stack.Loop.Now + Interval);
    }
}
