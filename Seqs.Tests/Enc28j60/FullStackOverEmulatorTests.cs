using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

/// <summary>A NetStack on the real driver code on the emulated chip, talking to a plain simulated stack.</summary>
public sealed class FullStackOverEmulatorTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void PingBothWays_IsAnswered_WithAndWithoutTheInterruptLine(bool interruptLine)
    {
        using var net = new EmulatedChipNetwork(interruptLine);

        PingReply fromChip = net.Ping(net.A, SimulatedPair.AddressB, dataLength: 1472);
        PingReply toChip = net.Ping(net.B, SimulatedPair.AddressA, dataLength: 1472);

        Assert.That(fromChip.Status, Is.EqualTo(PingStatus.Success));
        Assert.That(toChip.Status, Is.EqualTo(PingStatus.Success));
        Assert.That(net.A.Counters.InternalErrors, Is.Zero);
    }

    [Test]
    public void UdpEcho_OverTheEmulatedChip_ReturnsEveryDatagram()
    {
        using var net = new EmulatedChipNetwork(faults: new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        using var echo = new UdpEchoServer(net.B);
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        using var socket = new UdpSocket(net.A);
        Task<int> client = net.A.Loop.InvokeAsync(async () =>
        {
            int matched = 0;
            var buffer = new byte[1500];
            for (int size = 1; size <= 1472; size += 97)
            {
                byte[] payload = Enumerable.Range(0, size).Select(i => (byte)(i * 7 + size)).ToArray();
                await socket.SendToAsync(payload, new Ipv4EndPoint(SimulatedPair.AddressB, UdpEchoServer.DefaultPort));
                UdpReceiveResult result = await socket.ReceiveFromAsync(buffer);
                if (buffer.AsSpan(0, result.ReceivedBytes).SequenceEqual(payload))
                    matched++;
            }
            return matched;
        });

        Assert.That(net.Simulation.RunUntil(() => client.IsCompleted, TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(client.Result, Is.EqualTo(16));
        stop.Cancel();
    }

    [Test]
    public void ReceiveOverflow_IsCountedAndRecoveredFrom()
    {
        using var net = new EmulatedChipNetwork();
        byte[] flood = PatternFrame.Create(1514, MacAddress.Broadcast);
        // Straight into the chip, with no loop turn in between: the FIFO holds four full frames.
        for (int i = 0; i < 10; i++)
            net.Chip.DeliverFrame(flood);
        Assert.That(net.Chip.ReceiveOverflows, Is.GreaterThan(0));

        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.Success));
        Assert.That(net.Driver.Counters.ReceiveOverflows, Is.GreaterThanOrEqualTo(1));
        Assert.That(net.Ping(net.B, SimulatedPair.AddressA).Status, Is.EqualTo(PingStatus.Success));
    }

    [Test]
    public void CorruptNextPacketPointer_ResetsTheReceiveLogic_AndTrafficResumes()
    {
        using var net = new EmulatedChipNetwork();
        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.Success));

        net.Chip.CorruptNextPacketPointer();
        net.Ping(net.A, SimulatedPair.AddressB, dataLength: 100);

        Assert.That(net.Driver.Counters.ReceiveResets, Is.EqualTo(1));
        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.Success));
        Assert.That(net.Ping(net.B, SimulatedPair.AddressA).Status, Is.EqualTo(PingStatus.Success));
    }

    [Test]
    public void TransmitStall_IsResetAfterTheTimeout_AndTrafficResumes()
    {
        using var net = new EmulatedChipNetwork();
        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.Success));

        net.Chip.InjectTransmitStall();
        net.Ping(net.A, SimulatedPair.AddressB);
        net.Simulation.RunFor(TimeSpan.FromSeconds(4)); // the transmit timeout, longer than any PAUSE

        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.Success));
        Assert.That(net.Driver.Counters.TransmitStalls, Is.EqualTo(1));
    }

    [Test]
    public void LinkLoss_IsReportedToTheStack_AndTrafficResumesWhenTheCableReturns()
    {
        using var net = new EmulatedChipNetwork();
        net.ChipPort.SetLinkUp(false);
        net.Simulation.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(net.Driver.IsLinkUp, Is.False);
        Assert.That(net.A.IsLinkUp, Is.False);
        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.TimedOut));

        net.ChipPort.SetLinkUp(true);
        net.Simulation.RunFor(TimeSpan.FromMilliseconds(1));

        Assert.That(net.A.IsLinkUp, Is.True);
        Assert.That(net.Ping(net.A, SimulatedPair.AddressB).Status, Is.EqualTo(PingStatus.Success));
        Assert.That(net.Driver.Counters.LinkChanges, Is.EqualTo(2));
    }

    [Test]
    public void MissingChip_FailsConstruction_NamingTheBus()
    {
        var chip = new Enc28j60Emulator { IsPresent = false };

        var error = Assert.Throws<ChipNotRespondingException>(() =>
            new Drivers.Enc28j60.Enc28j60(chip, options: new Enc28j60Options { BusName = "SPI bus 0, chip select 1" }));

        Assert.That(error!.Message, Does.Contain("SPI bus 0, chip select 1").And.Contain("FFh"));
        Assert.That(error.RevisionRead, Is.EqualTo(0xFF));
    }
}
