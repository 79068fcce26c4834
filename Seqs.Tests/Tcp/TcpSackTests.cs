using Seqs.Tcp;
using Seqs.Wire;
using static Seqs.Tests.Tcp.TcpExchange;

namespace Seqs.Tests.Tcp;

/// <summary>RFC 2018 (SACK negotiation and blocks) and RFC 6675 (SACK-based loss recovery).</summary>
public sealed class TcpSackTests
{
    private const TcpFlags Ack = TcpFlags.Ack;

    private static SackBlock Block(uint left, uint right) => new(new SeqNumber(left), new SeqNumber(right));

    [Test]
    public void OutOfOrderData_IsReportedInSackBlocks_MostRecentFirst()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, sack: true);
        Assert.That(tcp.Tcb.SackPermitted, Is.True);

        tcp.Arrives(10, Seg(401, 101, Ack, data: 100));
        Assert.That(tcp.TakeSent().Single().Segment.Sack, Is.EqualTo(SackBlocks.Of(Block(401, 501))));

        tcp.Arrives(20, Seg(601, 101, Ack, data: 100));
        Assert.That(tcp.TakeSent().Single().Segment.Sack, Is.EqualTo(SackBlocks.Of(Block(601, 701), Block(401, 501))));

        // Extending the first range makes it the latest again.
        tcp.Arrives(30, Seg(501, 101, Ack, data: 50));
        Segment ack = tcp.TakeSent().Single().Segment;
        Assert.That(ack.Sack, Is.EqualTo(SackBlocks.Of(Block(401, 551), Block(601, 701))));
        Assert.That(ack.Ack.Value, Is.EqualTo(301u));

        // Filling the hole at RCV.NXT joins the first range: the cumulative ACK moves, one block is left.
        tcp.Arrives(40, Seg(301, 101, Ack, data: 100));
        ack = tcp.TakeSent().Single().Segment;
        Assert.That((ack.Ack.Value, ack.Sack), Is.EqualTo((551u, SackBlocks.Of(Block(601, 701)))));

        tcp.Arrives(50, Seg(551, 101, Ack, data: 50));
        ack = tcp.TakeSent().Single().Segment;
        Assert.That((ack.Ack.Value, ack.Sack.Count), Is.EqualTo((701u, 0)), "no SACK option once nothing is out of order");
    }

    [TestCase(false, 4)]
    [TestCase(true, 3)]
    public void SackBlocks_AreLimitedByTheOptionSpace(bool timestamps, int blocks)
    {
        var tcp = Established(localIss: 100, remoteIss: 300, sack: true, timestamps: timestamps);
        for (int i = 0; i < 4; i++)
            tcp.Arrives(10 + i, Seg((uint)(401 + 200 * i), 101, Ack, data: 100) with { Timestamps = timestamps ? new TcpTimestamps(2, 0) : null });
        Segment ack = tcp.TakeSent().Last().Segment;
        Assert.That(ack.Sack.Count, Is.EqualTo(blocks));
        Assert.That(ack.Sack[0], Is.EqualTo(Block(1001, 1101)), "the latest block first");
        Assert.That(tcp.Tcb.DataOptionsLength, Is.EqualTo((timestamps ? 12 : 0) + 4 + 8 * blocks), "at most 40 octets");
    }

    [Test]
    public void PeerWithoutSackPermitted_GetsNoSackBlocks()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(401, 101, Ack, data: 100));
        Assert.That(tcp.TakeSent().Single().Segment.Sack.Count, Is.Zero);
        Assert.That(tcp.Tcb.SackPermitted, Is.False);
    }

    private const int Mss = 1460;

    private static uint At(int segment) => (uint)(101 + segment * Mss);

    private static Segment AckWithSack(uint ack, params (int From, int To)[] sacked) =>
        Seg(301, ack, Ack) with { Sack = SackBlocks.Of([.. sacked.Select(r => Block(At(r.From), At(r.To)))]) };

    /// <summary>
    /// RFC 6675: segments 0 and 4 of 10 were lost. SACK blocks show it; the recovery retransmits exactly those two
    /// segments and never one the peer SACKed.
    /// </summary>
    [Test]
    public void SackRecovery_RetransmitsOnlyTheHoles()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { SendBufferSize = 256 * 1024 }, sack: true);
        tcp.Write(new byte[20 * Mss]);
        tcp.TakeSent();
        var retransmitted = new List<uint>();
        void Collect()
        {
            foreach ((int _, Segment s, byte[] _) in tcp.TakeSent())
            {
                if (s.Seq.Value < At(10))
                    retransmitted.Add(s.Seq.Value);
            }
        }

        // Segments 1, 2, 3 arrive. RACK (RFC 8985 §6.2) finds segment 0 lost with the first: it was sent before
        // segment 1, and the reordering window, min(min_RTT / 4, SRTT), is 0 after this exchange's 0 ms handshake.
        tcp.Arrives(10, AckWithSack(101, (1, 2)));
        Collect();
        Assert.That(retransmitted, Is.EqualTo(new[] { At(0) }));
        Assert.That(tcp.Tcb.InRecovery, Is.True);
        tcp.Arrives(11, AckWithSack(101, (1, 3)));
        tcp.Arrives(12, AckWithSack(101, (1, 4)));
        Collect();
        Assert.That(retransmitted, Is.EqualTo(new[] { At(0) }), "once");

        // Segments 5 to 9 arrive: segment 4 is a hole with three segments SACKed above it, so it goes next.
        for (int i = 5; i < 10; i++)
        {
            tcp.Arrives(10 + i, AckWithSack(101, (5, i + 1), (1, 4)));
            Collect();
        }
        Assert.That(retransmitted, Is.EqualTo(new[] { At(0), At(4) }));

        // Both retransmissions arrive: everything is acknowledged and the recovery ends.
        tcp.Arrives(30, Seg(301, At(4), Ack) with { Sack = SackBlocks.Of(Block(At(5), At(10))) });
        // RACK started the recovery before any new data left: SND.MAX then, segment 10, is the recovery point.
        tcp.Arrives(31, Seg(301, At(10), Ack));
        Collect();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tcp.Tcb.InRecovery, Is.False);
            Assert.That(retransmitted, Is.EqualTo(new[] { At(0), At(4) }), "no SACKed segment was sent twice");
            Assert.That(tcp.Tcb.RetransmittedBytes, Is.EqualTo(2 * Mss));
            Assert.That(tcp.Tcb.Retransmissions, Is.Zero, "no timeout");
        }
    }

    /// <summary>RFC 6675 §5.1: after a timeout, SND.NXT goes back to SND.UNA but skips what the peer SACKed.</summary>
    [Test]
    public void AfterATimeout_SackedSegmentsAreNotSentAgain()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, sack: true);
        tcp.Write(new byte[4 * Mss]);
        tcp.TakeSent();
        // Segments 1 and 3 were SACKed; two duplicate ACKs are not enough for fast retransmit.
        tcp.Arrives(10, AckWithSack(101, (1, 2)));
        tcp.Arrives(11, AckWithSack(101, (3, 4), (1, 2)));
        tcp.TakeSent();
        // The handshake measured a round trip of 0 ms, so the RTO is the 200 ms floor.
        List<uint> first = tcp.TakeSentAt(200).Select(s => s.Segment.Seq.Value).ToList();
        Assert.That(first, Is.EqualTo(new[] { At(0) }), "the timeout sends segment 0");
        tcp.Arrives(210, AckWithSack(At(1), (3, 4)));
        List<uint> next = tcp.TakeSent().Select(s => s.Segment.Seq.Value).ToList();
        Assert.That(next, Is.EqualTo(new[] { At(2) }), "segment 1 was acknowledged, 3 SACKed: only 2 is left");
    }

    /// <summary>
    /// A retransmission lost again: once the peer SACKs data sent after it while the hole is still there, the
    /// segment goes a third time at once rather than at the retransmission timeout (RACK, RFC 8985 §6.2).
    /// </summary>
    [Test]
    public void RetransmissionLostAgain_IsRepeatedWhenLaterDataIsSacked()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { SendBufferSize = 256 * 1024 }, sack: true);
        tcp.Write(new byte[30 * Mss]);
        tcp.TakeSent();
        // Segment 0 is lost: SACKed segments start the recovery, which resends it.
        for (int i = 2; i <= 4; i++)
            tcp.Arrives(10 + i, AckWithSack(101, (1, i)));
        Assert.That(tcp.TakeSent().Select(s => s.Segment.Seq.Value), Does.Contain(At(0)));
        // Everything sent before the retransmission arrives; the hole stays.
        for (int i = 5; i <= 10; i++)
            tcp.Arrives(10 + i, AckWithSack(101, (1, i)));
        tcp.TakeSent();
        Assert.That(tcp.Tcb.LostRetransmissions, Is.Zero, "nothing sent after the retransmission was SACKed yet");
        // The new data sent after it arrives (RFC 8985 §6.2: a retransmission is lost once data sent after it is delivered).
        tcp.Arrives(30, AckWithSack(101, (1, 12)));
        List<uint> again = tcp.TakeSent().Select(s => s.Segment.Seq.Value).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again, Does.Contain(At(0)), "the segment goes a third time");
            Assert.That(tcp.Tcb.LostRetransmissions, Is.EqualTo(1));
            Assert.That(tcp.Tcb.Retransmissions, Is.Zero, "without a timeout");
        }
    }
}
