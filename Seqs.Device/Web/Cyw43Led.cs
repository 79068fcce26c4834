using Microsoft.Extensions.Logging;
using Seqs.Drivers.Cyw43;

namespace Seqs.Device.Web;

/// <summary>
/// The LED on the CYW43439's GPIO 0 (the Pico W's), with <c>--nic cyw43</c>. Switching it is an ioctl, which the
/// driver completes on its own; the web handler does not wait for it, since the loop it runs on must keep going.
/// </summary>
internal sealed partial class Cyw43Led(Cyw43439 chip, ILogger log) : ILed
{
    public string Description => "CYW43439 GPIO 0";

    public bool IsOn { get; private set; }

    public void Switch(bool on)
    {
        IsOn = on;
        _ = SwitchChipAsync(on);
    }

    /// <summary>The driver owns the chip; the LED has nothing of its own to release.</summary>
    public void Dispose()
    {
    }

    private async Task SwitchChipAsync(bool on)
    {
        try
        {
            await chip.SetLedAsync(on).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Log.SwitchFailed(log, on ? "on" : "off", e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The CYW43439 did not switch its LED {State}: {Reason}")]
        public static partial void SwitchFailed(ILogger logger, string state, string reason);
    }
}
