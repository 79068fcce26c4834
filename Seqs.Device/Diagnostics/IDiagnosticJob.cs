using Seqs.Stack;

namespace Seqs.Device.Diagnostics;

/// <summary>One job of a diagnostic subcommand, run on a configured stack's loop.</summary>
internal interface IDiagnosticJob
{
    /// <summary>Runs the job, writing what a person reads to <paramref name="output"/>; 0 on success, 1 on failure.</summary>
    /// <param name="time">The device's network time with <c>--ntp</c> (or on the simulated network); null without.</param>
    Task<int> RunAsync(NetStack stack, NetworkTimeService? time, TextWriter output, CancellationToken cancellationToken);
}
