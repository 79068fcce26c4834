using System.Globalization;

namespace Seqs.Device.Nics;

/// <summary>
/// The fast path of <c>--nic tap</c>, on unless switched off: the TAP's offloads (<c>--tap-offload false</c> turns
/// them off) and the loop's spin before it sleeps (<c>--spin-us 0</c> turns it off). Neither applies to the SPI
/// NICs, where every poll is bus traffic.
/// </summary>
/// <param name="Offload">
/// Ask the kernel for the TAP's offloads (IFF_VNET_HDR, TUNSETOFFLOAD): it hands the stack TCP segments of up to
/// 64 KiB with their checksums left to the stack, and takes such segments from it to cut up itself. Where the kernel
/// refuses them, the TAP runs with standard frames.
/// </param>
/// <param name="SpinBeforeSleep">How long the loop keeps taking turns after its last busy one before it sleeps (<c>NetLoop.SpinBeforeSleep</c>).</param>
internal sealed record TapNicOptions(bool Offload, TimeSpan SpinBeforeSleep)
{
    /// <summary>The spin of <c>--nic tap</c> when <c>--spin-us</c> is not given: what the benchmark harness measured with.</summary>
    public const int DefaultSpinMicroseconds = 50;

    /// <summary>The longest spin <c>--spin-us</c> takes: beyond a few milliseconds a spin only burns a core.</summary>
    public const int MaxSpinMicroseconds = 10_000;

    private const string OffloadOption = "--tap-offload", SpinOption = "--spin-us";

    public static IReadOnlyList<CommandLineSwitch> Switches { get; } =
    [
        new(OffloadOption, "TapOffload", "--tap-offload false"),
        new(SpinOption, "SpinUs", "--spin-us 0"),
    ];

    /// <summary>The defaults of <c>--nic tap</c>: offloads on, a 50 µs spin.</summary>
    public static TapNicOptions Default { get; } = new(true, TimeSpan.FromMicroseconds(DefaultSpinMicroseconds));

    public static bool TryRead(GivenSwitches given, out TapNicOptions? options, out string error)
    {
        options = null;
        bool offload = true;
        if (given.TryGetValue(OffloadOption, out string? offloadText) && !bool.TryParse(offloadText, out offload))
            return DeviceOptions.Fail($"{OffloadOption} '{offloadText}' is not true or false; {OffloadOption} false sends and receives standard frames only.", out error);
        if (!given.TryReadNumber(SpinOption, "a number of microseconds", 0, DefaultSpinMicroseconds, out int spin, out error))
            return false;
        if (spin > MaxSpinMicroseconds)
            return DeviceOptions.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{SpinOption} '{spin}' is too long; give 0 (sleep at once) to {MaxSpinMicroseconds} microseconds, such as {SpinOption} {DefaultSpinMicroseconds}."), out error);
        options = new TapNicOptions(offload, TimeSpan.FromMicroseconds(spin));
        return true;
    }
}
