using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;
using static Seqs.Tests.Tcp.TcpExchange;

namespace Seqs.Tests.Tcp;

/// <summary>RFC 7323 §2: window scale negotiation in the SYNs and scaled windows afterwards.</summary>
public sealed class TcpWindowScaleTests
{
    private const TcpFlags Syn = TcpFlags.Syn;
    private const TcpFlags Ack = TcpFlags.Ack;

    [TestCase(16 * 1024, 0)]
    [TestCase(65535, 0)]
    [TestCase(65536, 1)]
    [TestCase(256 * 1024, 3)]
    [TestCase(1 << 30, 14)]
    public void ActiveOpen_OffersTheShiftItsReceiveBufferNeeds(int receiveBuffer, int shift)
    {
        var tcp = ActiveOpen(iss: 100, new TcpConnectionOptions { ReceiveBufferSize = receiveBuffer });
        Segment syn = tcp.TakeSent().Single().Segment;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(syn.WindowScale, Is.EqualTo((byte)shift));
            Assert.That(syn.Window, Is.EqualTo(Math.Min(receiveBuffer, 65535)), "RFC 7323 §2.2: a SYN's window is never scaled");
            Assert.That(syn.SackPermitted, Is.True);
        }
    }

    [Test]
    public void BothSidesScale_WhenThePeerAgrees()
    {
        var tcp = ActiveOpen(iss: 100, new TcpConnectionOptions { ReceiveBufferSize = 256 * 1024 });
        tcp.TakeSent();
        // The peer's SYN,ACK window (65535) is taken as is; its shift of 7 applies from the next segment on.
        tcp.Arrives(10, Seg(300, 101, Syn | Ack, window: 65535, mss: 1460) with { WindowScale = 7 });
        Segment ack = tcp.TakeSent().Single().Segment;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tcp.Tcb.WindowScaling, Is.True);
            Assert.That(tcp.Tcb.SndWnd, Is.EqualTo(65535));
            Assert.That(ack.Window, Is.EqualTo(256 * 1024 >> 3), "our window, scaled by our shift");
            Assert.That(ack.WindowScale, Is.Null, "the option appears on SYNs only");
        }

        tcp.Arrives(20, Seg(301, 101, Ack, window: 2000));
        Assert.That(tcp.Tcb.SndWnd, Is.EqualTo(2000 << 7));
    }

    [Test]
    public void PeerWithoutWindowScale_LeavesWindowsUnscaled()
    {
        var tcp = ActiveOpen(iss: 100, new TcpConnectionOptions { ReceiveBufferSize = 256 * 1024 });
        tcp.TakeSent();
        tcp.Arrives(10, Seg(300, 101, Syn | Ack, window: 1000, mss: 1460));
        Segment ack = tcp.TakeSent().Single().Segment;
        tcp.Arrives(20, Seg(301, 101, Ack, window: 2000));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tcp.Tcb.WindowScaling, Is.False);
            Assert.That(ack.Window, Is.EqualTo(65535), "the largest unscaled window, not the buffer");
            Assert.That(tcp.Tcb.SndWnd, Is.EqualTo(2000));
        }
    }

    [Test]
    public void PassiveOpen_EchoesWindowScaleAndSackPermittedOnlyWhenTheSynCarriedThem()
    {
        var options = new TcpConnectionOptions { ReceiveBufferSize = 128 * 1024 };
        Segment plain = PassiveOpen(iss: 300, Seg(100, 0, Syn, mss: 1460), options).TakeSent().Single().Segment;
        Segment extended = PassiveOpen(iss: 300, Seg(100, 0, Syn, mss: 1460) with { WindowScale = 2, SackPermitted = true }, options).TakeSent().Single().Segment;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((plain.WindowScale, plain.SackPermitted), Is.EqualTo(((byte?)null, false)));
            Assert.That((extended.WindowScale, extended.SackPermitted), Is.EqualTo(((byte?)2, true)));
            Assert.That(extended.Window, Is.EqualTo(65535));
        }
    }

    [Test]
    public void ShiftAboveFourteen_IsTakenAsFourteen()
    {
        var tcp = PassiveOpen(iss: 300, Seg(100, 0, Syn, mss: 1460) with { WindowScale = 20 });
        tcp.Arrives(5, Seg(101, 301, Ack, window: 1));
        Assert.That(tcp.Tcb.SendWindowShift, Is.EqualTo(14));
        Assert.That(tcp.Tcb.SndWnd, Is.EqualTo(1 << 14));
    }

    [Test]
    public void DisabledWindowScaling_SendsNoOption_AndLimitsTheBuffer()
    {
        var tcp = ActiveOpen(iss: 100, new TcpConnectionOptions { WindowScaling = false });
        Assert.That(tcp.TakeSent().Single().Segment.WindowScale, Is.Null);
        var tooBig = new TcpConnectionOptions { WindowScaling = false, ReceiveBufferSize = 100_000 };
        Assert.That(tooBig.Validate, Throws.ArgumentException.With.Message.Contains("ReceiveBufferSize"));
    }

    /// <summary>NetStackOptions.Tcp is the stack-wide default: here a 200 000-octet buffer needs a shift of 2.</summary>
    [Test]
    public void StackDefaults_ApplyToConnectionsAndListenersWithoutOptionsOfTheirOwn()
    {
        var stackOptions = new NetStackOptions { Tcp = { ReceiveBufferSize = 200_000 } };
        using var pair = new SimulatedPair(options: stackOptions);
        var listener = new Seqs.Tcp.TcpListener(pair.B.Tcp, 5000);
        Task<TcpConnection> accepted = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            return await listener.AcceptAsync();
        });
        Task<TcpConnection> connected = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 5000)));
        Assert.That(pair.Simulation.RunUntil(() => accepted.IsCompleted && connected.IsCompleted, TimeSpan.FromSeconds(5)), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(listener.Options, Is.SameAs(stackOptions.Tcp));
            Assert.That((connected.Result.Tcb!.ReceiveWindowShift, connected.Result.Tcb!.SendWindowShift), Is.EqualTo((2, 2)));
            Assert.That(accepted.Result.Tcb!.ReceiveWindowShift, Is.EqualTo(2));
        }
    }
}
