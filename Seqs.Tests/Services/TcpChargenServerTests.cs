using System.Text;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Services;

/// <summary>The RFC 864 character generator over TCP, on stack B, read from stack A in virtual time.</summary>
public sealed class TcpChargenServerTests
{
    private static readonly Ipv4EndPoint Chargen = new(SimulatedPair.AddressB, TcpChargenServer.DefaultPort);

    [Test]
    public void Client_ReceivesLinesOf72PrintableCharacters_EachStartingOneCharacterFurther()
    {
        const int Length = 20_000; // more than one 95-line cycle, so the wrap from '~' back to ' ' is read too
        using var pair = new SimulatedPair();
        using var chargen = new TcpChargenServer(pair.B);
        using var stop = new CancellationTokenSource();
        _ = chargen.RunAsync(stop.Token);

        Task<byte[]> client = pair.LoopA.InvokeAsync(async () =>
        {
            using TcpConnection connection = await pair.A.Tcp.ConnectAsync(Chargen);
            var received = new byte[Length];
            await connection.ReadExactlyAsync(received);
            return received;
        });

        Assert.That(pair.Simulation.RunUntil(() => client.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
        string text = Encoding.ASCII.GetString(client.Result);
        string[] lines = text.Split("\r\n");
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg"));
            Assert.That(lines[1], Does.StartWith("!\"#$").And.EndWith("fgh"));
            Assert.That(lines[94], Does.StartWith("~ !\"").And.EndWith("def"));
            Assert.That(lines[95], Is.EqualTo(lines[0]), "the pattern repeats after 95 lines");
            Assert.That(lines[..^1], Has.All.Length.EqualTo(TcpChargenServer.LineLength));
            Assert.That(client.Result, Is.EqualTo(TcpChargenServer.Expected(Length)));
        });
        stop.Cancel();
    }

    [Test]
    public void ClientClose_EndsTheConnection()
    {
        using var pair = new SimulatedPair();
        using var chargen = new TcpChargenServer(pair.B);
        using var stop = new CancellationTokenSource();
        _ = chargen.RunAsync(stop.Token);

        Task client = pair.LoopA.InvokeAsync(async () =>
        {
            using TcpConnection connection = await pair.A.Tcp.ConnectAsync(Chargen);
            await connection.ReadExactlyAsync(new byte[1000]);
        });

        Assert.That(pair.Simulation.RunUntil(() => client.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
        client.GetAwaiter().GetResult();
        Assert.That(pair.Simulation.RunUntil(() => pair.B.Tcp.ConnectionCount == 0, TimeSpan.FromMinutes(5)), Is.True, "B's side closed");
        Assert.That(chargen.Connections, Is.EqualTo(1));
        Assert.That(chargen.OctetsSent, Is.GreaterThanOrEqualTo(1000));
        stop.Cancel();
    }
}
