namespace Seqs.Diagnostics;

/// <summary>
/// Bounds the log lines one call site writes: at most <c>linesPerMinute</c> in each minute, counted from the first
/// line of the minute; the lines held back are counted, and the next line let through says how many there were
/// (<see cref="Note"/>). For every line a peer on the network can cause (a forged ARP reply, a flood of DHCP
/// messages, a wrong access token, a deauthentication), so that an attacker can neither fill the journal nor bury
/// the lines that matter. Time is passed in from the injected clock. A mutable struct of 24 bytes, kept in a
/// (not readonly) field of its owner so that small components stay small; it allocates nothing and is not
/// synchronized: a race between two threads can miscount a line, never more.
/// </summary>
public struct LogGate
{
    /// <summary>Warnings and errors: a handful a minute says what happens; more only repeats it.</summary>
    public const int DefaultLinesPerMinute = 5;

    /// <summary>Information lines a peer can cause (a lease, a connection served): routine, so more of them.</summary>
    public const int InformationLinesPerMinute = 20;

    /// <summary>The window the limit counts in.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly int _linesPerWindow;
    private TimeSpan _windowStart;
    private int _written;
    private int _suppressed;
    private bool _started;

    /// <summary>A gate for <paramref name="linesPerMinute"/> lines; <c>default</c> is one for <see cref="DefaultLinesPerMinute"/>.</summary>
    public LogGate(int linesPerMinute)
    {
        if (linesPerMinute < 1)
            throw new ArgumentOutOfRangeException(nameof(linesPerMinute), linesPerMinute, "A gate lets at least one line a minute through.");
        _linesPerWindow = linesPerMinute;
        _windowStart = default;
        _written = 0;
        _suppressed = 0;
        _started = false;
    }

    /// <summary>
    /// Whether a line may be written at <paramref name="now"/> (any monotonic time, such as the loop's). When true,
    /// <paramref name="suppressed"/> is how many lines were held back since the last one written; when false, this
    /// line is one of them.
    /// </summary>
    public bool TryEnter(TimeSpan now, out int suppressed)
    {
        if (!_started || now - _windowStart >= Window || now < _windowStart)
        {
            _started = true;
            _windowStart = now;
            _written = 0;
        }
        if (_written >= (_linesPerWindow == 0 ? DefaultLinesPerMinute : _linesPerWindow))
        {
            _suppressed++;
            suppressed = 0;
            return false;
        }
        _written++;
        suppressed = _suppressed;
        _suppressed = 0;
        return true;
    }

    /// <summary><see cref="TryEnter(TimeSpan, out int)"/> at the time of <paramref name="clock"/>, for code that has no loop.</summary>
    public bool TryEnter(TimeProvider clock, out int suppressed)
    {
        if (clock is null)
            throw new ArgumentNullException(nameof(clock));
        return TryEnter(clock.GetElapsedTime(0, clock.GetTimestamp()), out suppressed);
    }

    /// <summary>What a line let through appends: nothing, or " (K suppressed)" after K lines held back.</summary>
    public static string Note(int suppressed) => suppressed == 0 ? "" : $" ({suppressed} suppressed)";
}
