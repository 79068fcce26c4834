using Microsoft.Extensions.Configuration;
using Seqs.Device;
using Seqs.Device.Nics;

namespace Seqs.Tests.Device;

/// <summary><c>--nic tap</c>'s fast path: <c>--tap-offload</c> and <c>--spin-us</c>, on by default, and their configuration keys.</summary>
[TestFixture]
public sealed class DeviceOptionsTapTests
{
    private static TapNicOptions FastPath(DeviceOptions options) => options.NicOptions<TapNicOptions>();

    [Test]
    public void TapWithoutSwitches_HasOffloadOnAndA50MicrosecondSpin()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "seqs0", "--ip", "10.77.0.2/24"], out DeviceOptions options, out string error), Is.True, error);
        Assert.That(FastPath(options), Is.EqualTo(new TapNicOptions(true, TimeSpan.FromMicroseconds(50))));
    }

    [Test]
    public void TapOffloadFalseAndSpinZero_TurnTheFastPathOff()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "seqs0", "--ip", "10.77.0.2/24", "--tap-offload", "false", "--spin-us", "0"],
            out DeviceOptions options, out string error), Is.True, error);
        Assert.That(FastPath(options), Is.EqualTo(new TapNicOptions(false, TimeSpan.Zero)));
    }

    [Test]
    public void TapKeys_ComeFromConfigurationLikeTheOthers()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nic"] = "tap",
            ["TapName"] = "seqs0",
            ["Ip"] = "10.0.0.2/24",
            ["TapOffload"] = "False",
            ["SpinUs"] = "200",
        }).Build();
        Assert.That(DeviceOptions.TryRead(configuration, out DeviceOptions options, out string error), Is.True, error);
        Assert.That(FastPath(options), Is.EqualTo(new TapNicOptions(false, TimeSpan.FromMicroseconds(200))));
    }

    [TestCase(new[] { "--tap-offload", "maybe" }, "--tap-offload 'maybe' is not true or false; --tap-offload false sends and receives standard frames only.")]
    [TestCase(new[] { "--spin-us", "-5" }, "--spin-us '-5' is not a number of microseconds; give a whole number of 0 or more, such as --spin-us 0.")]
    [TestCase(new[] { "--spin-us", "fast" }, "--spin-us 'fast' is not a number of microseconds; give a whole number of 0 or more, such as --spin-us 0.")]
    [TestCase(new[] { "--spin-us", "1000000" }, "--spin-us '1000000' is too long; give 0 (sleep at once) to 10000 microseconds, such as --spin-us 50.")]
    public void BadFastPathValues_AreRefusedWithOneLineThatSaysWhatToFix(string[] switches, string expected)
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "seqs0", "--ip", "10.0.0.2/24", .. switches], out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
    }

    [TestCase(new[] { "--nic", "enc28j60", "--chip-emulator", "--tap-name", "seqs0", "--ip", "10.0.0.2/24", "--spin-us", "50" }, "--spin-us applies only to --nic tap, not to --nic enc28j60.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--tap-name", "seqs0", "--ip", "10.0.0.2/24", "--tap-offload", "true" }, "--tap-offload applies only to --nic tap, not to --nic cyw43.")]
    [TestCase(new[] { "--spin-us", "50" }, "--spin-us applies only to --nic tap, not to --nic sim.")]
    public void FastPathSwitches_OnOtherNics_AreRefused(string[] args, string expected)
    {
        Assert.That(DeviceOptions.TryParse(args, out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
    }
}
