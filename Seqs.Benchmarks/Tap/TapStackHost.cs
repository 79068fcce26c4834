using System.Globalization;
using Seqs.Device.HostNics;
using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Benchmarks.Tap;

/// <summary>
/// A Seqs stack on a TAP with the TCP echo (7), discard (9) and chargen (19) services, every connection with
/// send and receive buffers of the given size, until standard input closes; with <c>offload</c>, the TAP's
/// receive offload is on (the kernel hands over TCP segments of up to 64 KiB). Prints, on exit, the TCP
/// retransmission counters of the connections it served.
/// <code>tap-stack TAP-NAME ADDRESS/PREFIX BUFFER-OCTETS [offload]</code>
/// </summary>
internal static class TapStackHost
{
    public static int Run(string[] args)
    {
        if (args.Length < 3 || !Ipv4Cidr.TryParse(args[1], out Ipv4Cidr address))
        {
            Console.Error.WriteLine("usage: tap-stack TAP ADDRESS/PREFIX BUFFER-OCTETS [offload]");
            return 2;
        }
        int buffer = int.Parse(args[2], CultureInfo.InvariantCulture);
        var options = new TcpConnectionOptions { SendBufferSize = buffer, ReceiveBufferSize = buffer };
        using TapNic tap = TapNic.Open(args[0], offload: args.Length > 3 && args[3] == "offload");
        var loop = new NetLoop(TimeProvider.System) { SpinBeforeSleep = TimeSpan.FromMicroseconds(50) };
        var stack = new NetStack(loop, tap);
        stack.Configure(address);
        using var stop = new CancellationTokenSource();
        using var echo = new TcpEchoServer(stack, options: options);
        using var discard = new TcpDiscardServer(stack, options: options);
        using var chargen = new TcpChargenServer(stack, options: options);
        _ = echo.RunAsync(stop.Token);
        _ = discard.RunAsync(stop.Token);
        _ = chargen.RunAsync(stop.Token);
        Task running = loop.Start(stop.Token);
        Console.WriteLine($"ready {address}");
        Console.In.ReadToEnd();
        stop.Cancel();
        running.Wait(TimeSpan.FromSeconds(5));
        TcpCounters counters = stack.Tcp.Counters;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"segments sent {counters.SegmentsSent}, received {counters.SegmentsReceived}, discarded {discard.OctetsDiscarded} octets; "
            + $"retransmission timeouts {counters.RetransmissionTimeouts}, fast retransmits {counters.FastRetransmits}, loss probes {counters.LossProbes}, "
            + $"spurious retransmissions {counters.SpuriousRetransmissions}, window reductions undone {counters.WindowReductionsUndone}"));
        return 0;
    }
}
