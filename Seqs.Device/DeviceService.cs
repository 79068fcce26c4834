using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Seqs.Device;

/// <summary>
/// Runs the device as the host's one hosted service. The host's lifetime (console or systemd) turns SIGINT and
/// SIGTERM into a stop, which cancels the run; a device that fails stops the host with <see cref="ExitCode"/> 1.
/// </summary>
internal sealed partial class DeviceService(IDevice device, IHostApplicationLifetime lifetime, ILogger<DeviceService> logger) : BackgroundService
{
    /// <summary>0 after a stop on request, 1 when the device failed.</summary>
    public int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await device.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && stoppingToken.IsCancellationRequested))
        {
            ExitCode = 1;
            Log.Failed(logger, e.Message, e);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Critical, "The device stopped on an error: {Reason}")]
        public static partial void Failed(ILogger logger, string reason, Exception exception);
    }
}
