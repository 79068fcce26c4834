using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tests.Device;
using Seqs.Tests.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Services;

/// <summary>The shared loop of the UDP services: a datagram whose handling throws costs only itself (issue 16 item 2).</summary>
public sealed class UdpServerTests
{
    private static readonly MacAddress OurMac = MacAddress.Parse("02:00:00:00:00:02");
    private static readonly MacAddress PeerMac = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly Ipv4Address Our = new(10, 0, 0, 2);
    private static readonly Ipv4Address Peer = new(10, 0, 0, 1);
    private const ushort ServicePort = 4000;

    /// <summary>
    /// 100 datagrams that make the handler throw, one every second, between good ones: each is counted and dropped,
    /// the good ones are all handled, and the log has five lines a minute, the first of the next minute saying how
    /// many were held back.
    /// </summary>
    [Test]
    public void DatagramsWhoseHandlingThrows_AreCountedAndLoggedFiveAMinute_AndTheServiceGoesOn()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        var nic = new RecordingNic(OurMac);
        var stack = new NetStack(loop, nic, randomSeed: 1);
        stack.Configure(new Ipv4Cidr(Our, 24));
        var log = new RecordingLogger<UdpServer>();
        using var service = new ThrowingServer(stack, log);
        using var stop = new CancellationTokenSource();
        Task serving = service.RunAsync(stop.Token);
        loop.RunOnce();

        for (int i = 0; i < 100; i++)
        {
            nic.Inject(PeerFrames.Udp(PeerMac, OurMac, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(Our, ServicePort), [ThrowingServer.Poison, (byte)i]));
            nic.Inject(PeerFrames.Udp(PeerMac, OurMac, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(Our, ServicePort), [1, (byte)i]));
            loop.RunOnce();
            loop.RunOnce();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        string[] lines = [.. log.Entries.Select(e => e.Message)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(service.Handled, Is.EqualTo(100), "every good datagram after a bad one was handled");
            Assert.That(service.FailedDatagrams, Is.EqualTo(100));
            Assert.That(service.Datagrams, Is.EqualTo(200));
            Assert.That(serving.IsCompleted, Is.False, "the service still runs");
            Assert.That(lines, Has.Length.EqualTo(10), "five in each of the two minutes");
            Assert.That(lines[0], Does.StartWith($"UDP service on port {ServicePort} dropped a datagram from {Peer}:5000"));
            Assert.That(lines[..5], Has.None.Contains("suppressed"));
            Assert.That(lines[5], Does.EndWith("(55 suppressed)"));
        }
        stop.Cancel();
        loop.RunOnce();
    }

    private sealed class ThrowingServer(NetStack stack, RecordingLogger<UdpServer> logger) : UdpServer(stack, ServicePort, logger)
    {
        public const byte Poison = 0xFF;

        public int Handled { get; private set; }

        protected override void OnDatagram(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender)
        {
            if (datagram[0] == Poison)
                throw new InvalidOperationException("a handler's bug");
            Handled++;
        }
    }
}
