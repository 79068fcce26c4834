using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Services;

/// <summary>The RFC 862 echo service over UDP, on stack B, used from stack A in virtual time.</summary>
public sealed class UdpEchoServerTests
{
    [Test]
    public void OverALossyLink_ReturnsWhatArrives()
    {
        using var net = new SimulatedPair(new LinkFaults
        {
            Seed = 3,
            LossProbability = 0.1,
            ReorderProbability = 0.2,
            ReorderDelay = TimeSpan.FromMilliseconds(3),
            PropagationDelay = TimeSpan.FromMilliseconds(1),
        });
        using var echo = new UdpEchoServer(net.B);
        using var cts = new CancellationTokenSource();
        _ = echo.RunAsync(cts.Token);
        using var socket = new UdpSocket(net.A);

        Task<int> client = net.LoopA.InvokeAsync(async () =>
        {
            int matched = 0;
            var buffer = new byte[64];
            for (int i = 0; i < 50; i++)
            {
                byte[] payload = [(byte)i, 0xAB, 0xCD];
                await socket.SendToAsync(payload, new Ipv4EndPoint(SimulatedPair.AddressB, UdpEchoServer.DefaultPort));
                using var timeout = new CancellationTokenSource();
                Task<UdpReceiveResult> receive = socket.ReceiveFromAsync(buffer, timeout.Token).AsTask();
                Task delay = Task.Delay(TimeSpan.FromMilliseconds(200), net.Simulation.Clock);
                if (await Task.WhenAny(receive, delay) == receive)
                {
                    UdpReceiveResult result = await receive;
                    if (result.ReceivedBytes == 3 && buffer[0] == i && result.RemoteEndPoint == new Ipv4EndPoint(SimulatedPair.AddressB, 7))
                        matched++;
                }
                else
                {
                    timeout.Cancel(); // inline on the loop, so the run stays deterministic
                    try
                    {
                        await receive;
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }
            return matched;
        });
        Assert.That(net.Simulation.RunUntil(() => client.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(client.Result, Is.InRange(30, 50));
        Assert.That(echo.Datagrams, Is.GreaterThanOrEqualTo(client.Result));
        cts.Cancel();
    }

    /// <summary>
    /// RFC 768 allows source port 0 ("no reply expected"), to which no answer can go: such a datagram is dropped and
    /// counted by the stack, and the echo service goes on answering the next one.
    /// </summary>
    [Test]
    public void DatagramFromSourcePortZero_IsDroppedAndCounted_AndTheServiceGoesOn()
    {
        using var net = new SimulatedPair();
        using var echo = new UdpEchoServer(net.B);
        using var cts = new CancellationTokenSource();
        Task serving = echo.RunAsync(cts.Token);
        var attacker = new Ipv4EndPoint(SimulatedPair.AddressA, 0);
        var service = new Ipv4EndPoint(SimulatedPair.AddressB, UdpEchoServer.DefaultPort);
        Assert.That(net.NicA.TryTransmit(PeerFrames.Udp(net.NicA.MacAddress, net.NicB.MacAddress, attacker, service, [1, 2, 3])), Is.True);
        net.Simulation.RunFor(TimeSpan.FromMilliseconds(10));

        using var socket = new UdpSocket(net.A);
        Task<UdpReceiveResult> reply = net.LoopA.InvokeAsync(async () =>
        {
            await socket.SendToAsync("still here"u8.ToArray(), service);
            return await socket.ReceiveFromAsync(new byte[64]);
        });
        Assert.That(net.Simulation.RunUntil(() => reply.IsCompleted, TimeSpan.FromSeconds(1)), Is.True, "the echo service still answers");
        Assert.That(reply.Result.ReceivedBytes, Is.EqualTo(10));
        Assert.That(net.B.Counters.UdpSourcePortZero, Is.EqualTo(1));
        Assert.That((serving.IsFaulted, echo.Datagrams), Is.EqualTo((false, 1)), "only the real datagram reached the service");
        cts.Cancel();
    }

    /// <summary>
    /// A datagram broadcast to port 7 (every host would answer it) and one "from" a well-known port (spoofed to set
    /// two echo services answering each other for ever) get no answer; a client's own datagram still does.
    /// </summary>
    [TestCase(true, 40000, TestName = "BroadcastDatagram_IsNotAnswered")]
    [TestCase(false, 19, TestName = "DatagramFromAWellKnownPort_IsNotAnswered")]
    public void DatagramThatWouldStartAStorm_IsNotAnswered(bool broadcast, int sourcePort)
    {
        using var net = new SimulatedPair();
        using var echo = new UdpEchoServer(net.B);
        using var cts = new CancellationTokenSource();
        _ = echo.RunAsync(cts.Token);
        var sender = new Ipv4EndPoint(SimulatedPair.AddressA, (ushort)sourcePort);
        var service = new Ipv4EndPoint(broadcast ? Ipv4Address.Broadcast : SimulatedPair.AddressB, UdpEchoServer.DefaultPort);
        MacAddress destination = broadcast ? MacAddress.Broadcast : net.NicB.MacAddress;
        Assert.That(net.NicA.TryTransmit(PeerFrames.Udp(net.NicA.MacAddress, destination, sender, service, [1, 2, 3])), Is.True);
        net.Simulation.RunFor(TimeSpan.FromMilliseconds(10));

        Assert.That(net.B.Counters.UdpDatagramsSent, Is.Zero, "nothing was sent back");
        Assert.That(broadcast ? net.B.Counters.UdpBroadcastRefused : echo.FromServicePorts, Is.EqualTo(1));
        cts.Cancel();
    }
}
