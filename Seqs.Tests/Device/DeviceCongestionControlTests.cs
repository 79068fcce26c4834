using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Device;
using Seqs.Tcp;

namespace Seqs.Tests.Device;

/// <summary>
/// <c>--congestion-control cubic|newreno</c>: the device's TCP connections use CUBIC unless told otherwise, while
/// Seqs.Core's own default stays NewReno.
/// </summary>
[TestFixture]
public sealed class DeviceCongestionControlTests
{
    private static readonly string[] Tap = ["--nic", "tap", "--tap-name", "seqs0", "--ip", "10.77.0.2/24"];

    [Test]
    public void WithoutTheSwitch_TheDeviceUsesCubic_AndTheLibraryNewReno()
    {
        Assert.That(DeviceOptions.TryParse(Tap, out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.CongestionControl, Is.EqualTo(CongestionControlAlgorithm.Cubic));
        Assert.That(options.StackOptions().Tcp.CongestionControl, Is.EqualTo(CongestionControlAlgorithm.Cubic));
        Assert.That(new TcpConnectionOptions().CongestionControl, Is.EqualTo(CongestionControlAlgorithm.NewReno));
    }

    [TestCase("newreno", CongestionControlAlgorithm.NewReno)]
    [TestCase("NewReno", CongestionControlAlgorithm.NewReno)]
    [TestCase("cubic", CongestionControlAlgorithm.Cubic)]
    public void TheSwitch_ChoosesTheAlgorithm(string value, CongestionControlAlgorithm expected)
    {
        Assert.That(DeviceOptions.TryParse([.. Tap, "--congestion-control", value], out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.StackOptions().Tcp.CongestionControl, Is.EqualTo(expected));
    }

    [Test]
    public void AnUnknownAlgorithm_FailsWithWhatToGive()
    {
        Assert.That(DeviceOptions.TryParse([.. Tap, "--congestion-control", "bbr"], out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo("--congestion-control 'bbr' is not an algorithm; give cubic (RFC 9438, the default) or newreno (RFC 5681 and RFC 6582), such as --congestion-control newreno."));
    }

    [Test]
    public void TheKey_ComesFromConfigurationLikeTheOthers()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nic"] = "tap",
            ["TapName"] = "seqs0",
            ["Ip"] = "10.0.0.2/24",
            ["CongestionControl"] = "newreno",
        }).Build();
        Assert.That(DeviceOptions.TryRead(configuration, out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.CongestionControl, Is.EqualTo(CongestionControlAlgorithm.NewReno));
    }

    /// <summary>The simulated device (the README's first command) builds its stack with the choice, and its echo service's connections take it.</summary>
    [TestCase(new string[0], CongestionControlAlgorithm.Cubic)]
    [TestCase(new[] { "--congestion-control", "newreno" }, CongestionControlAlgorithm.NewReno)]
    public void TheSimulatedDevicesStack_AndItsServices_UseTheChoice(string[] extra, CongestionControlAlgorithm expected)
    {
        Assert.That(DeviceOptions.TryParse([.. extra, "--services", "echo"], out DeviceOptions options, out string error), Is.True, error);
        using var device = new SimulatedDevice(options, NullLoggerFactory.Instance);
        Assert.That(device.Services.Stack.Tcp.DefaultOptions.CongestionControl, Is.EqualTo(expected));
        Assert.That(device.Services.TestServices.OfType<Seqs.Services.TcpServer>().Select(service => service.Options.CongestionControl), Is.Not.Empty.And.All.EqualTo(expected));
    }
}
