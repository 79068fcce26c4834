using Seqs.Services;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Services;

/// <summary>The limits a service that answers anyone puts on its connections: idle time, duration and number.</summary>
public sealed class TcpServerLimitsTests
{
    private static readonly Ipv4EndPoint Echo = new(SimulatedPair.AddressB, TcpEchoServer.DefaultPort);

    /// <summary>A client that connects and sends nothing is reset after the idle timeout; one that talks is not.</summary>
    [Test]
    public void IdleConnection_IsResetAfterTheIdleTimeout_WhileABusyOneLives()
    {
        using var pair = new SimulatedPair();
        using var echo = new TcpEchoServer(pair.B) { IdleTimeout = TimeSpan.FromSeconds(10) };
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        Task<TcpConnection> idle = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(Echo));
        Task<TcpConnection> busy = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(Echo));
        Assert.That(pair.Simulation.RunUntil(() => idle.IsCompleted && busy.IsCompleted, TimeSpan.FromSeconds(5)), Is.True);
        byte[] buffer = new byte[16];
        for (int second = 0; second < 15; second++)
        {
            Task echoed = pair.LoopA.InvokeAsync(async () =>
            {
                await busy.Result.WriteAsync("ping"u8.ToArray());
                await busy.Result.ReadExactlyAsync(buffer.AsMemory(0, 4));
            });
            Assert.That(pair.Simulation.RunUntil(() => echoed.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
            pair.Simulation.RunFor(TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(10));
        }

        Assert.That(idle.Result.State, Is.EqualTo(TcpState.Closed), "reset after 10 s of silence");
        Assert.That(busy.Result.State, Is.EqualTo(TcpState.Established));
        Assert.That(echo.TimedOutConnections, Is.EqualTo(1));
        stop.Cancel();
    }

    /// <summary>Chargen sends for as long as the client reads: the duration limit ends it.</summary>
    [Test]
    public void ConnectionThatKeepsReading_IsResetAtTheMaximumDuration()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        using var chargen = new TcpChargenServer(pair.B) { MaxDuration = TimeSpan.FromSeconds(30) };
        using var stop = new CancellationTokenSource();
        _ = chargen.RunAsync(stop.Token);
        var at = new TimeSpan[1];
        Task<long> reading = pair.LoopA.InvokeAsync(async () =>
        {
            using TcpConnection connection = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, TcpChargenServer.DefaultPort));
            byte[] buffer = new byte[4096];
            long total = 0;
            try
            {
                int n;
                while ((n = await connection.ReadAsync(buffer)) > 0)
                    total += n;
            }
            catch (IOException)
            {
                at[0] = pair.LoopA.Now;
            }
            return total;
        });

        Assert.That(pair.Simulation.RunUntil(() => reading.IsCompleted, TimeSpan.FromMinutes(2)), Is.True);
        Assert.That(at[0], Is.InRange(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(31)), "reset at the limit");
        Assert.That(reading.Result, Is.GreaterThan(1 << 20), "it sent all along until then");
        Assert.That(chargen.TimedOutConnections, Is.EqualTo(1));
        stop.Cancel();
    }

    [Test]
    public void ServiceAtItsConnectionBound_RefusesTheNextClient()
    {
        using var pair = new SimulatedPair();
        using var echo = new TcpEchoServer(pair.B, maxConnections: 2);
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        var connects = Enumerable.Range(0, 3).Select(_ => pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(Echo))).ToArray();
        pair.Simulation.RunFor(TimeSpan.FromSeconds(5));

        Assert.That(echo.Connections, Is.EqualTo(2), "the third client is not served");
        Assert.That(echo.MaxConnections, Is.EqualTo(2));
        Assert.That(pair.B.Tcp.Counters.SynsDropped, Is.GreaterThanOrEqualTo(1));
        stop.Cancel();
    }
}
