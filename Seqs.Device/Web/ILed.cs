namespace Seqs.Device.Web;

/// <summary>The LED that <c>/api/led</c> switches.</summary>
internal interface ILed : IDisposable
{
    /// <summary>What drives it, for the page: "GPIO 17", "simulated".</summary>
    string Description { get; }

    bool IsOn { get; }

    void Switch(bool on);
}
