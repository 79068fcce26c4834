using Microsoft.Extensions.Logging;

namespace Seqs.Device.Diagnostics;

/// <summary>
/// The hardware checks of one NIC kind for <c>seqs-device doctor</c>, in the order a person would check the wiring:
/// each step on its own, so a failure names the first thing that is wrong. A step whose precondition failed (no chip
/// answers) ends the examination: the steps after it would only repeat the same fault in other words.
/// </summary>
internal interface IWiringDoctor
{
    IAsyncEnumerable<DoctorStep> ExamineAsync(DeviceOptions options, ILoggerFactory loggers, CancellationToken cancellationToken);
}
