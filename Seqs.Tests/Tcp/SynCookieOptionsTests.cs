using Seqs.Tcp;

namespace Seqs.Tests.Tcp;

/// <summary>The SYN-cookie options carried in the low six bits of a TSval, as Linux lays them out.</summary>
public sealed class SynCookieOptionsTests
{
    [TestCase((byte)7, true, 0x17u)]
    [TestCase((byte)0, false, 0x00u)]
    [TestCase((byte)14, true, 0x1Eu)]
    [TestCase(null, true, 0x1Fu)]
    [TestCase(null, false, 0x0Fu)]
    public void Options_RideInTheLowBits_AndComeBackFromTheEcho(byte? shift, bool sack, uint lowBits)
    {
        var options = new SynCookieOptions(shift, sack);
        uint tsval = options.ToTimestamp(clock: 1_000_000);
        Assert.That(tsval & 0x3F, Is.EqualTo(lowBits));
        Assert.That(SynCookieOptions.FromEcho(tsval), Is.EqualTo(options));
    }

    [TestCase(1_000_000u)]
    [TestCase(0x1000u)]
    [TestCase(0x103Fu)]
    [TestCase(5u)]
    public void TheTimestamp_IsNeverAheadOfTheClock_NorAPeriodBehind(uint clock)
    {
        uint tsval = new SynCookieOptions(7, true).ToTimestamp(clock);
        Assert.That(unchecked((int)(clock - tsval)), Is.InRange(0, 63), "the peer's PAWS sees no timestamp from the future");
    }

    [Test]
    public void AShiftAbove14_IsTakenAs14()
    {
        Assert.That(SynCookieOptions.FromEcho(0x0E).WindowShift, Is.EqualTo(14));
        Assert.That(SynCookieOptions.FromEcho(0x0F).WindowShift, Is.Null, "15 means no window scaling");
    }
}
