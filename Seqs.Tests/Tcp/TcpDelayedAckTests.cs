using Seqs.Tcp;
using Seqs.Wire;
using static Seqs.Tests.Tcp.TcpExchange;

namespace Seqs.Tests.Tcp;

/// <summary>Delayed ACKs (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2) and receiver SWS avoidance (RFC 9293 §3.8.6.2.2).</summary>
public sealed class TcpDelayedAckTests
{
    private const TcpFlags Ack = TcpFlags.Ack;

    [Test]
    public void EverySecondSegment_IsAcknowledgedAtOnce()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(301, 101, Ack), new byte[1460]);
        tcp.ExpectNothingSent(10);
        tcp.Arrives(11, Seg(1761, 101, Ack), new byte[1460]);
        tcp.ExpectSent(11, Seg(101, 3221, Ack));
        tcp.Arrives(12, Seg(3221, 101, Ack), new byte[1460]);
        tcp.ExpectNothingSent(51);
        tcp.ExpectSent(52, Seg(101, 4681, Ack));
    }

    [Test]
    public void TheAck_RidesOnData()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(301, 101, Ack), "ping"u8.ToArray());
        tcp.Write("pong"u8.ToArray());
        List<(int AtMs, Segment Segment, byte[] Data)> sent = tcp.TakeSent();
        Assert.That(sent.Select(s => (s.AtMs, s.Segment.Ack.Value, s.Segment.DataLength)), Is.EqualTo(new[] { (10, 305u, 4) }));
        tcp.ExpectNothingSent(100);
    }

    [Test]
    public void OutOfOrderData_AndTheSegmentThatFillsTheGap_AreAcknowledgedAtOnce()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(401, 101, Ack), new byte[100]);
        tcp.ExpectSent(10, Seg(101, 301, Ack));
        tcp.Arrives(11, Seg(301, 101, Ack), new byte[100]);
        tcp.ExpectSent(11, Seg(101, 501, Ack));
    }

    [Test]
    public void ZeroTimeout_AcknowledgesEverySegment()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { DelayedAckTimeout = TimeSpan.Zero });
        tcp.Arrives(10, Seg(301, 101, Ack), new byte[10]);
        tcp.ExpectSent(10, Seg(101, 311, Ack));
    }

    [Test]
    public void TimeoutAboveHalfASecond_IsRejected() =>
        Assert.That(new TcpConnectionOptions { DelayedAckTimeout = TimeSpan.FromMilliseconds(501) }.Validate,
            Throws.ArgumentException.With.Message.Contains("DelayedAckTimeout"));

    /// <summary>
    /// RFC 9293 §3.8.6.2.2: reading a few octets from a full buffer does not reopen the window by those few octets;
    /// it reopens once min(buffer / 2, MSS) can be offered.
    /// </summary>
    [Test]
    public void Window_ReopensInSteps_NotByTheOctet()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { ReceiveBufferSize = 4000 });
        tcp.Arrives(10, Seg(301, 101, Ack), new byte[4000]);
        Assert.That(tcp.TakeSent().Single().Segment.Window, Is.Zero);
        tcp.Tcb.Read(new byte[100]);
        Assert.That(tcp.TakeSentAfterDrain(), Is.Empty, "no update for 100 octets");
        // A one-octet window probe is kept (there is room for it) and answered, and the answer still offers no window.
        tcp.Arrives(20, Seg(4301, 101, Ack), new byte[1]);
        Assert.That(tcp.TakeSent().Single().Segment.Window, Is.Zero);
        tcp.Tcb.Read(new byte[1400]);
        Assert.That(tcp.TakeSentAfterDrain().Single().Segment.Window, Is.EqualTo(1499), "1499 free octets ≥ min(2000, 1460)");
    }
}
