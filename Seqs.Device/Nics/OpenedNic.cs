using Seqs.Device.Web;
using Seqs.Hal;

namespace Seqs.Device.Nics;

/// <summary>
/// The NIC the stack runs on (below any capture) as its <see cref="INicKind"/> opened it: described for people, with
/// its counters read the way its driver keeps them. Owns what was opened and disposes it.
/// </summary>
/// <param name="readCounters">Fills the counters of a <see cref="NicStatus"/>; null for a NIC that keeps none.</param>
internal sealed class OpenedNic(IEthernetNic nic, string description, Action<NicStatus>? readCounters, params IDisposable[] owned) : IDisposable
{
    public IEthernetNic Nic => nic;

    /// <summary>Where the stack runs, for the console and the status page: "TAP tap0", "ENC28J60 rev 06h on SPI bus 0, chip select 0".</summary>
    public string Description => description;

    /// <summary>The NIC's own LED (<see cref="INicKind.OwnLed"/>), which <c>/api/led</c> switches; null when it has none.</summary>
    public ILed? Led { get; init; }

    /// <summary>
    /// How long the device's loop keeps taking turns before it sleeps (<c>NetLoop.SpinBeforeSleep</c>): zero, unless
    /// the NIC is one where a poll is a cheap system call (<c>--nic tap</c>, <c>--spin-us</c>).
    /// </summary>
    public TimeSpan SpinBeforeSleep { get; init; }

    public void ReadStatus(NicStatus status)
    {
        status.Description = description;
        readCounters?.Invoke(status);
    }

    /// <summary>The same NIC under another description, owning nothing: "an emulated ENC28J60 rev 06h on a simulated switch".</summary>
    public OpenedNic DescribedAs(string otherDescription) => new(nic, otherDescription, readCounters) { Led = Led, SpinBeforeSleep = SpinBeforeSleep };

    public void Dispose()
    {
        foreach (IDisposable opened in owned)
            opened.Dispose();
    }
}
