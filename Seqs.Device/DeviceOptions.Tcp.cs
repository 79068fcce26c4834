using Seqs.Device.Nics;
using Seqs.Stack;
using Seqs.Tcp;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string CongestionControlOption = "--congestion-control";

    /// <summary>
    /// The congestion control of every TCP connection the device makes or accepts (<c>--congestion-control cubic|newreno</c>):
    /// CUBIC (RFC 9438) unless told otherwise, as Linux, Windows and macOS use. On a lossy link it gives up less of
    /// its window per loss (β = 0.7 against NewReno's 0.5): the 4 MiB echo through 5 % loss each way
    /// (<c>build/throughput.sh --lossy</c>) takes about two thirds of the time NewReno takes. Seqs.Core keeps NewReno
    /// as its own default, the smallest state for a microcontroller's connections (CUBIC adds 56 bytes to each).
    /// </summary>
    public CongestionControlAlgorithm CongestionControl { get; private set; } = CongestionControlAlgorithm.Cubic;

    /// <summary>The stack's options: its defaults, with the connections' congestion control.</summary>
    internal NetStackOptions StackOptions() => new() { Tcp = new TcpConnectionOptions { CongestionControl = CongestionControl } };

    private bool TryReadTcp(GivenSwitches values, out string error)
    {
        error = "";
        if (!values.TryGetValue(CongestionControlOption, out string? text))
            return true;
        switch (text.Trim().ToLowerInvariant())
        {
            case "cubic":
                CongestionControl = CongestionControlAlgorithm.Cubic;
                return true;
            case "newreno":
                CongestionControl = CongestionControlAlgorithm.NewReno;
                return true;
            default:
                return Fail($"{CongestionControlOption} '{text}' is not an algorithm; give cubic (RFC 9438, the default) or newreno (RFC 5681 and RFC 6582), such as {CongestionControlOption} newreno.", out error);
        }
    }
}
