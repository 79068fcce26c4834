using System.Diagnostics;
using Seqs.Simulation;

namespace Seqs.Tests.Cyw43;

/// <summary>Runs an operation that waits on a <see cref="VirtualClock"/>, moving the clock to each timer it sets.</summary>
internal static class VirtualTime
{
    private static readonly TimeSpan WallClockLimit = TimeSpan.FromSeconds(60);

    public static void Run(VirtualClock clock, Func<Task> operation) => Run(clock, operation());

    public static void Run(VirtualClock clock, Task task)
    {
        var wall = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (clock.NextTimerDue is { } due)
                clock.AdvanceTo(due > clock.Elapsed ? due : clock.Elapsed);
            else
                Thread.Yield();
            if (wall.Elapsed > WallClockLimit)
                Assert.Fail($"The operation did not finish; virtual time {clock.Elapsed}.");
        }
        task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Moves the clock from timer to timer, calling <paramref name="poll"/> (what a loop would do) at each, until
    /// <paramref name="condition"/> holds (true) or <paramref name="timeout"/> of virtual time has passed (false).
    /// </summary>
    public static bool RunUntil(VirtualClock clock, Func<bool> condition, TimeSpan timeout, Action? poll = null)
    {
        TimeSpan end = clock.Elapsed + timeout;
        var wall = Stopwatch.StartNew();
        while (true)
        {
            poll?.Invoke();
            if (condition())
                return true;
            if (clock.Elapsed >= end)
                return false;
            TimeSpan next = clock.NextTimerDue is { } due && due < end ? due : end;
            clock.AdvanceTo(next > clock.Elapsed ? next : clock.Elapsed + TimeSpan.FromMilliseconds(1));
            Thread.Yield();
            if (wall.Elapsed > WallClockLimit)
                Assert.Fail($"The condition was still false after {WallClockLimit} of wall-clock time; virtual time {clock.Elapsed}.");
        }
    }
}
