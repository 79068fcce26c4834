using System.Globalization;
using Seqs.Device.Nics;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string ServicesOption = "--services", ServicesBufferOption = "--services-buffer";

    /// <summary>
    /// The TCP buffers of the test services on <c>--nic tap</c> when <c>--services-buffer</c> is not given: those the
    /// benchmark harness measures with, enough to keep a host's TAP busy (at 10 Gbit/s, a 256 KiB window lasts 200 µs).
    /// </summary>
    public const int TapServicesBufferSize = 256 << 10;

    /// <summary>The TCP buffers of the test services on the other NICs: the stack's default (<c>TcpConnectionOptions</c>).</summary>
    public const int SmallServicesBufferSize = 16 << 10;

    /// <summary>
    /// The smallest <c>--services-buffer</c>: a few full-size segments, below which every segment closes the window
    /// and waits for a delayed acknowledgment.
    /// </summary>
    public const int MinServicesBufferSize = 4 << 10;

    /// <summary>The largest <c>--services-buffer</c>: the stack's largest send buffer (<c>TcpConnectionOptions.SendBufferSize</c>).</summary>
    public const int MaxServicesBufferSize = 1 << 20;

    /// <summary>The test services to run (<c>--services echo,discard,chargen,iperf</c>); none by default or with <c>--services none</c>.</summary>
    public ClassicServices Services { get; private set; }

    /// <summary>
    /// The send and the receive buffer, in octets, of each TCP connection of the test services (<c>--services-buffer</c>):
    /// <see cref="TapServicesBufferSize"/> on <c>--nic tap</c>, <see cref="SmallServicesBufferSize"/> on the others.
    /// The web interface keeps the stack's default.
    /// </summary>
    public int ServicesBufferSize { get; private set; } = SmallServicesBufferSize;

    private bool TryReadServices(GivenSwitches values, out string error)
    {
        error = "";
        if (values.TryGetValue(ServicesOption, out string? text) && text.Trim() != "none")
        {
            foreach (string name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                ClassicServices service = name switch
                {
                    "echo" => ClassicServices.Echo,
                    "discard" => ClassicServices.Discard,
                    "chargen" => ClassicServices.Chargen,
                    "iperf" => ClassicServices.Iperf,
                    _ => ClassicServices.None,
                };
                if (service == ClassicServices.None)
                    return Fail($"--services '{name}' is not a service; name some of echo, discard, chargen and iperf, such as --services echo,discard, or none.", out error);
                Services |= service;
            }
        }
        return TryReadServicesBuffer(values, out error);
    }

    private bool TryReadServicesBuffer(GivenSwitches values, out string error)
    {
        error = "";
        ServicesBufferSize = NicKind == NicKinds.Tap ? TapServicesBufferSize : SmallServicesBufferSize;
        if (!values.TryGetValue(ServicesBufferOption, out string? text))
            return true;
        if (Services == ClassicServices.None)
            return Fail($"{ServicesBufferOption} sizes the test services' TCP buffers, and none is on; name them with --services, such as --services echo,discard, or drop {ServicesBufferOption}.", out error);
        string range = string.Create(CultureInfo.InvariantCulture, $"give {MinServicesBufferSize >> 10}K to {MaxServicesBufferSize >> 20}M ({MinServicesBufferSize} to {MaxServicesBufferSize} octets), such as {ServicesBufferOption} 256K");
        if (!TryParseOctets(text, out long octets))
            return Fail($"{ServicesBufferOption} '{text}' is not a size; {range}.", out error);
        if (octets is < MinServicesBufferSize or > MaxServicesBufferSize)
            return Fail($"{ServicesBufferOption} '{text}' is too {(octets < MinServicesBufferSize ? "small" : "large")}; {range}.", out error);
        ServicesBufferSize = (int)octets;
        return true;
    }

    /// <summary>A size in octets, or in KiB or MiB with a suffix K or M (<c>262144</c>, <c>256K</c>, <c>1M</c>).</summary>
    private static bool TryParseOctets(string text, out long octets)
    {
        ReadOnlySpan<char> digits = text.AsSpan().Trim();
        int shift = 0;
        if (digits.Length > 0 && char.ToUpperInvariant(digits[^1]) is 'K' or 'M')
        {
            shift = char.ToUpperInvariant(digits[^1]) == 'K' ? 10 : 20;
            digits = digits[..^1];
        }
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out octets))
            return false;
        // A number too large to shift is too large for a buffer anyway.
        octets = octets > long.MaxValue >> shift ? long.MaxValue : octets << shift;
        return true;
    }
}
