using Microsoft.Extensions.Logging;

namespace Seqs.Device.Diagnostics;

/// <summary>
/// <c>seqs-device doctor --nic enc28j60|cyw43 [switches]</c> (also with <c>--chip-emulator</c>): runs the NIC kind's
/// <see cref="IWiringDoctor"/> and prints one line per step, <c>OK</c> or <c>FAIL</c> with what to do. Exits 0 when
/// every step passed, 1 when one failed, 2 for a NIC kind without hardware checks.
/// </summary>
internal static class DoctorCommand
{
    public const string Name = "doctor";

    public static async Task<int> RunAsync(DeviceOptions options, ILoggerFactory loggers, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (options.NicKind.Doctor is not { } doctor)
        {
            await errors.WriteLineAsync($"seqs: doctor checks a chip's wiring: --nic enc28j60 or --nic cyw43 (with --chip-emulator for the emulated chip), not --nic {options.Nic}.").ConfigureAwait(false);
            return 2;
        }
        int failed = 0;
        await foreach (DoctorStep step in doctor.ExamineAsync(options, loggers, cancellationToken).ConfigureAwait(false))
        {
            if (!step.Passed)
                failed++;
            string line = step.Detail.Length == 0 ? step.Name : $"{step.Name}: {step.Detail}";
            await output.WriteLineAsync($"{(step.Passed ? "OK  " : "FAIL")} {line}").ConfigureAwait(false);
        }
        await errors.WriteLineAsync(failed == 0 ? "seqs: every check passed." : $"seqs: {failed} check{(failed == 1 ? "" : "s")} failed.").ConfigureAwait(false);
        return failed == 0 ? 0 : 1;
    }
}
