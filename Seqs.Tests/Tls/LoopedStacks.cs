using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Tls;

/// <summary>
/// Two stacks, A (10.0.0.1) and B (10.0.0.2), on a crossover cable, both driven by one real-time loop on its own
/// thread, as a device's stack is: the setting in which TLS must keep its crypto off the loop. A
/// <see cref="LoopTurnMeter"/> measures the loop's turns.
/// </summary>
internal sealed class LoopedStacks : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public LoopedStacks()
    {
        Loop = new NetLoop(TimeProvider.System);
        Loop.Attach(Meter);
        (CrossoverNic a, CrossoverNic b) = CrossoverNic.CreatePair(SimulatedPair.MacA, SimulatedPair.MacB, ringFrames: 64);
        A = new NetStack(Loop, a, randomSeed: 1);
        B = new NetStack(Loop, b, randomSeed: 2);
        A.Configure(new Ipv4Cidr(SimulatedPair.AddressA, 24));
        B.Configure(new Ipv4Cidr(SimulatedPair.AddressB, 24));
        _running = Loop.Start(_stop.Token);
    }

    public NetLoop Loop { get; }

    public LoopTurnMeter Meter { get; } = new();

    public NetStack A { get; }

    public NetStack B { get; }

    /// <summary>A TCP connection from A to B's <paramref name="port"/>: A's end and the end B accepted.</summary>
    public async Task<(TcpConnection Client, TcpConnection Accepted)> ConnectAsync(ushort port, TimeSpan bound)
    {
        var listener = new TcpListener(B.Tcp, port);
        await Loop.InvokeAsync(() =>
        {
            listener.Start();
            return Task.CompletedTask;
        });
        var client = new TcpConnection(A.Tcp);
        await client.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, port)).AsTask().WaitAsync(bound);
        TcpConnection accepted = await listener.AcceptAsync().AsTask().WaitAsync(bound);
        await Loop.InvokeAsync(() =>
        {
            listener.Dispose();
            return Task.CompletedTask;
        });
        return (client, accepted);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _running.Wait(TimeSpan.FromSeconds(5));
        Loop.Dispose();
        _stop.Dispose();
    }
}
