namespace Seqs.Device.Web;

/// <summary>An LED that only remembers its state: the simulated network's, and a device's with no <c>--led-pin</c>.</summary>
internal sealed class SimulatedLed : ILed
{
    public string Description => "simulated";

    public bool IsOn { get; private set; }

    public void Switch(bool on) => IsOn = on;

    public void Dispose()
    {
    }
}
