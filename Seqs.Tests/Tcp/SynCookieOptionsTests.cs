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

    [TestCase((byte)20)]
    [TestCase((byte)15)]
    public void APeerShiftAbove14_IsOfferedAs14(byte peerShift)
    {
        // RFC 7323 §2.3: a shift above 14 is used as 14; 15 would otherwise read back as no scaling at all.
        var syn = new Segment(new SeqNumber(1000), default, Seqs.Wire.TcpFlags.Syn, 64240, MaximumSegmentSize: 1460,
            Timestamps: new TcpTimestamps(555, 0)) { WindowScale = peerShift, SackPermitted = true };
        Segment synAck = TcpControlBlock.CookieSynAck(new TcpConnectionOptions(), syn, new SeqNumber(77), 1460, TimeSpan.FromSeconds(10));
        Assert.That(SynCookieOptions.FromEcho(synAck.Timestamps!.Value.Value), Is.EqualTo(new SynCookieOptions(14, true)));
    }
}
