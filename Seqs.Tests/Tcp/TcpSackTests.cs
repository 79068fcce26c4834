using Seqs.Tcp;
using Seqs.Wire;
using static Seqs.Tests.Tcp.TcpExchange;

namespace Seqs.Tests.Tcp;

/// <summary>RFC 2018 (SACK negotiation and blocks) and RFC 6675 (SACK-based loss recovery).</summary>
public sealed class TcpSackTests
{
    private const TcpFlags Syn = TcpFlags.Syn;
    private const TcpFlags Ack = TcpFlags.Ack;

    private static SackBlock Block(uint left, uint right) => new(new SeqNumber(left), new SeqNumber(right));

    /// <summary>An established connection where the peer (ISS 300) agreed to SACK, with or without timestamps.</summary>
    private static TcpExchange EstablishedWithSack(bool timestamps = false)
    {
        var tcp = ActiveOpen(iss: 100);
        tcp.TakeSent();
        tcp.Arrives(0, Seg(300, 101, Syn | Ack, mss: 1460) with
        {
            SackPermitted = true,
            Timestamps = timestamps ? new TcpTimestamps(1, 0) : null,
        });
        tcp.TakeSent();
        return tcp;
    }

    [Test]
    public void OutOfOrderData_IsReportedInSackBlocks_MostRecentFirst()
    {
        var tcp = EstablishedWithSack();
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
        var tcp = EstablishedWithSack(timestamps);
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
}
