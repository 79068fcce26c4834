using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Tcp;

/// <summary>
/// A client on stack A sends data to B's TCP echo service in chunks while reading the echo, then half-closes,
/// reads to the end and closes: the transfer the simulation tests run under faults.
/// </summary>
internal sealed class EchoTransfer
{
    private EchoTransfer(byte[] sent)
    {
        Sent = sent;
        Received = new byte[sent.Length];
    }

    public byte[] Sent { get; }

    public byte[] Received { get; }

    public int ReceivedLength { get; private set; }

    public bool Finished { get; private set; }

    public Exception? Error { get; private set; }

    public bool Complete => Finished && Error is null && ReceivedLength == Sent.Length && Received.AsSpan().SequenceEqual(Sent);

    /// <summary>Runs the transfer in virtual time, for at most <paramref name="timeout"/>; B must run a <see cref="TcpEchoServer"/>.</summary>
    public static EchoTransfer Run(SimulatedPair pair, byte[] data, int chunk, TcpConnectionOptions? options, TimeSpan timeout) =>
        Run(pair.Simulation, pair.A, SimulatedPair.AddressB, data, chunk, options, timeout);

    /// <summary>The same from <paramref name="client"/> to the echo service at <paramref name="server"/>, on any simulated network.</summary>
    public static EchoTransfer Run(NetworkSimulation simulation, NetStack client, Ipv4Address server, byte[] data, int chunk, TcpConnectionOptions? options, TimeSpan timeout)
    {
        var transfer = new EchoTransfer(data);
        Task run = client.Loop.InvokeAsync(async () =>
        {
            TcpConnection connection = await client.Tcp.ConnectAsync(new Ipv4EndPoint(server, TcpEchoServer.DefaultPort), options);
            Task reading = transfer.ReadAllAsync(connection);
            for (int at = 0; at < data.Length; at += chunk)
                await connection.WriteAsync(data.AsMemory(at, Math.Min(chunk, data.Length - at)));
            connection.ShutdownSend();
            await reading;
            connection.Dispose();
        });
        transfer.Finished = simulation.RunUntil(() => run.IsCompleted, timeout);
        transfer.Error = run.Exception?.InnerException;
        return transfer;
    }

    private async Task ReadAllAsync(TcpConnection connection)
    {
        int n;
        while ((n = await connection.ReadAsync(Received.AsMemory(ReceivedLength))) > 0)
            ReceivedLength += n;
    }
}
