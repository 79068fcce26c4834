using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>
/// How the stack answers the peer's FIN: with one FIN,ACK when the application closes in the same loop turn, and
/// with a bare ACK in that turn when it does not (RFC 9293 §3.10.7.4, eighth check: the FIN is acknowledged).
/// </summary>
public sealed class TcpCloseTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(1);

    [Test]
    public void ServerThatClosesWhenItReadsTheEnd_AnswersTheFinWithOneFinAck()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = Delay });
        List<(TimeSpan Time, bool ToB, TcpFlags Flags)> segments = Record(pair);
        using var listener = new TcpListener(pair.B.Tcp, 80);
        _ = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            TcpConnection served = await listener.AcceptAsync();
            while (await served.ReadAsync(new byte[16]) > 0)
            {
            }
            served.Dispose();
        });
        Task<TcpConnection> client = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 80)));
        Assert.That(pair.Simulation.RunUntil(() => client.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        pair.LoopA.Post(_ => client.Result.Dispose(), null);

        Assert.That(pair.Simulation.RunUntil(() => pair.B.Tcp.ConnectionCount == 0, TimeSpan.FromSeconds(1)), Is.True);

        TcpFlags[] fromB = segments.Where(s => !s.ToB).Select(s => s.Flags).ToArray();
        Assert.That(fromB, Is.EqualTo(new[] { TcpFlags.Syn | TcpFlags.Ack, TcpFlags.Fin | TcpFlags.Ack }),
            "SYN,ACK, then the client's FIN answered by one FIN,ACK");
        TcpFlags[] fromA = segments.Where(s => s.ToB).Select(s => s.Flags).ToArray();
        Assert.That(fromA, Is.EqualTo(new[] { TcpFlags.Syn, TcpFlags.Ack, TcpFlags.Fin | TcpFlags.Ack, TcpFlags.Ack }));
        Assert.That(pair.A.Tcp.TimeWaitCount, Is.EqualTo(1), "the client, which closed first and let go, waits in TIME-WAIT");
    }

    [Test]
    public void ServerThatDoesNotClose_AcknowledgesTheFinInTheTurnItArrives()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = Delay });
        List<(TimeSpan Time, bool ToB, TcpFlags Flags)> segments = Record(pair);
        using var listener = new TcpListener(pair.B.Tcp, 80);
        TcpConnection? served = null;
        _ = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            served = await listener.AcceptAsync();
        });
        Task<TcpConnection> client = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 80)));
        Assert.That(pair.Simulation.RunUntil(() => client.IsCompleted && served is not null, TimeSpan.FromSeconds(1)), Is.True);
        pair.LoopA.Post(_ => client.Result.Dispose(), null);

        pair.Simulation.RunFor(TimeSpan.FromSeconds(1));

        (TimeSpan finArrived, _, _) = segments.Single(s => s.ToB && (s.Flags & TcpFlags.Fin) != 0);
        (TimeSpan ackArrived, _, TcpFlags ackFlags) = segments.Last(s => !s.ToB);
        Assert.That(ackFlags, Is.EqualTo(TcpFlags.Ack), "a bare ACK of the FIN");
        Assert.That(ackArrived - finArrived, Is.EqualTo(Delay), "sent in the turn the FIN arrived, not on a delayed-ACK timer");
        Assert.That(served!.State, Is.EqualTo(TcpState.CloseWait));
        Assert.That(client.Result.State, Is.EqualTo(TcpState.FinWait2));
    }

    /// <summary>The TCP segments the simulation delivers: when, toward which stack, with which flags.</summary>
    private static List<(TimeSpan Time, bool ToB, TcpFlags Flags)> Record(SimulatedPair pair)
    {
        var segments = new List<(TimeSpan, bool, TcpFlags)>();
        pair.Simulation.FrameDelivered += (time, nic, frame) =>
        {
            if (EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _) && ethernet.EtherType == EtherType.Ipv4
                && Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _) && ip.Protocol == IpProtocol.Tcp
                && TcpSegment.TryParse(ip.Payload, out TcpSegment tcp, out _))
                segments.Add((time, nic == pair.NicB, tcp.Flags));
        };
        return segments;
    }
}
