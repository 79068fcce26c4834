using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Services;

/// <summary>The RFC 863 discard service over UDP and TCP, on stack B, fed from stack A in virtual time.</summary>
public sealed class DiscardServerTests
{
    [Test]
    public void UdpDatagrams_AreCountedAndNeverAnswered()
    {
        using var pair = new SimulatedPair();
        using var discard = new UdpDiscardServer(pair.B);
        using var stop = new CancellationTokenSource();
        _ = discard.RunAsync(stop.Token);
        using var socket = new UdpSocket(pair.A);

        Task sends = pair.LoopA.InvokeAsync(async () =>
        {
            // One at a time, so that neither the queue of packets held for ARP nor B's receive queue overflows.
            for (int i = 1; i <= 10; i++)
            {
                await socket.SendToAsync(new byte[i * 100], new Ipv4EndPoint(SimulatedPair.AddressB, UdpDiscardServer.DefaultPort));
                await Task.Delay(TimeSpan.FromMilliseconds(10), pair.Simulation.Clock);
            }
        });

        Assert.That(pair.Simulation.RunUntil(() => sends.IsCompleted && discard.Datagrams == 10, TimeSpan.FromMinutes(1)), Is.True);
        pair.Simulation.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(discard.OctetsDiscarded, Is.EqualTo(5500));
        Assert.That(socket.TryReceiveFrom(new byte[1500], out _), Is.False);
    }

    [Test]
    public void TcpStream_IsCountedToTheClientsFin_AndNothingIsSentBack()
    {
        const int Length = 50_000;
        using var pair = new SimulatedPair();
        using var discard = new TcpDiscardServer(pair.B);
        using var stop = new CancellationTokenSource();
        _ = discard.RunAsync(stop.Token);

        Task<int> client = pair.LoopA.InvokeAsync(async () =>
        {
            using TcpConnection connection = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, TcpDiscardServer.DefaultPort));
            await connection.WriteAsync(new byte[Length]);
            connection.ShutdownSend();
            return await connection.ReadAsync(new byte[100]); // 0: the server's FIN, with no data before it
        });

        Assert.That(pair.Simulation.RunUntil(() => client.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(client.Result, Is.Zero);
        Assert.That(discard.OctetsDiscarded, Is.EqualTo(Length));
        Assert.That(discard.Connections, Is.EqualTo(1));
        Assert.That(discard.FailedConnections, Is.Zero);
    }
}
