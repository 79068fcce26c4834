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
}
