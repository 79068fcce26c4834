using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tests.Tcp;

namespace Seqs.Tests.Cyw43;

/// <summary>A NetStack on the real CYW43439 driver code on the emulated chip, joined over Wi-Fi, talking to a simulated stack.</summary>
public sealed class FullStackOverWifiTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void PingBothWays_IsAnswered_WithAndWithoutTheInterruptLine(bool interruptLine)
    {
        using var net = new EmulatedWifiNetwork(interruptLine);

        PingReply fromChip = net.Ping(net.A, SimulatedPair.AddressB, dataLength: 1472);
        PingReply toChip = net.Ping(net.B, SimulatedPair.AddressA, dataLength: 1472);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromChip.Status, Is.EqualTo(PingStatus.Success));
            Assert.That(toChip.Status, Is.EqualTo(PingStatus.Success));
            Assert.That(net.A.Counters.InternalErrors, Is.Zero);
            Assert.That(net.Chip.ProtocolViolations, Is.Empty);
        }
    }

    [Test]
    public void TcpEcho_OfHalfAMegabyte_ComesBackIntact()
    {
        using var net = new EmulatedWifiNetwork(faults: new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        using var echo = new TcpEchoServer(net.B);
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        byte[] data = new byte[512 * 1024];
        new Random(7).NextBytes(data);

        EchoTransfer transfer = EchoTransfer.Run(net.Simulation, net.A, SimulatedPair.AddressB, data, chunk: 3000, options: null, TimeSpan.FromMinutes(2));
        stop.Cancel();

        TestContext.Out.WriteLine($"{transfer.ReceivedLength} bytes echoed by {net.Simulation.Now}; driver sent {net.Driver.Counters.FramesTransmitted} frames, " +
            $"{net.Driver.Counters.TransmitRejections} back-pressure rejections; chip {net.Chip.Transactions} transactions");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(transfer.Error, Is.Null);
            Assert.That(transfer.Complete, Is.True);
            Assert.That(net.Chip.ProtocolViolations, Is.Empty, "sequence numbers within the credit, BDC flags, no frame lost in the chip");
        }
    }

    [Test]
    public void LinkLoss_TakesTheStacksLinkDown_AndTheRejoinBringsTrafficBack()
    {
        using var net = new EmulatedWifiNetwork();
        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.Success));

        net.Chip.DropLink();
        net.Simulation.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.That(net.A.IsLinkUp, Is.False);
        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.TimedOut));

        Assert.That(net.Simulation.RunUntil(() => net.A.IsLinkUp, TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.Success));
        Assert.That(net.Driver.Counters.RejoinAttempts, Is.EqualTo(1));
    }
}
