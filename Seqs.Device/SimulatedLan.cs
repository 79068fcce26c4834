using Microsoft.Extensions.Logging;
using Seqs.Hal;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// The device with no hardware and no root: its stack on a simulated LAN with a second stack as the router, which
/// pings the device every second and checks its UDP echo service. Virtual time is paced to the wall clock so the
/// console shows a live network. The device's NIC is the cable end itself, or what the caller builds on it (such as
/// the ENC28J60 driver on the chip's emulator).
/// </summary>
internal sealed partial class SimulatedLan(ILoggerFactory loggers, bool chipEmulator) : IDevice
{
    private static readonly Ipv4Cidr DeviceAddress = new(new Ipv4Address(192, 168, 50, 2), 24);
    private static readonly Ipv4Cidr RouterAddress = new(new Ipv4Address(192, 168, 50, 1), 24);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    /// <param name="attachNic">
    /// Builds the device's NIC on the device's cable end (a <see cref="VirtualNic"/> with the device's MAC) and the
    /// simulation's clock; the cable end itself when null. A NIC it returns that is <see cref="IDisposable"/> is
    /// disposed when the run ends.
    /// </param>
    public Task RunAsync(CancellationToken cancellationToken) => chipEmulator
        ? RunAsync(loggers, "an emulated ENC28J60", (cable, clock) => EmulatedEnc28j60.Attach(cable, cable.MacAddress, clock, loggers, holdWhileFull: false), cancellationToken)
        : RunAsync(loggers, "a virtual NIC", attachNic: null, cancellationToken);

    public void Dispose()
    {
    }

    private static async Task RunAsync(ILoggerFactory loggers, string nicName, Func<IEthernetNic, TimeProvider, IEthernetNic>? attachNic, CancellationToken cancellationToken)
    {
        ILogger log = loggers.CreateLogger("Seqs.Device");
        using var simulation = new NetworkSimulation();
        var cableEnd = new VirtualNic(MacAddress.Parse("02:53:45:51:53:02"));
        var routerNic = new VirtualNic(MacAddress.Parse("02:53:45:51:53:01"));
        simulation.Connect(cableEnd, routerNic, new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1), BitsPerSecond = 10_000_000 });
        IEthernetNic deviceNic = attachNic?.Invoke(cableEnd, simulation.Clock) ?? cableEnd;
        using var ownedNic = deviceNic == cableEnd ? null : deviceNic as IDisposable;
        var device = new NetStack(simulation.CreateLoop(), deviceNic, logger: loggers.CreateLogger<NetStack>());
        var router = new NetStack(simulation.CreateLoop(), routerNic);
        device.Configure(DeviceAddress, RouterAddress.Address);
        router.Configure(RouterAddress);
        using var echo = new UdpEchoServer(device);
        using var discard = new UdpDiscardServer(device);
        _ = echo.RunAsync(cancellationToken);
        _ = discard.RunAsync(cancellationToken);
        Log.Started(log, nicName, DeviceAddress.ToString(), RouterAddress.Address.ToString());
        _ = router.Loop.InvokeAsync(() => ProbeAsync(router, simulation.Clock, log, cancellationToken));

        while (!cancellationToken.IsCancellationRequested)
        {
            simulation.RunFor(Step);
            try
            {
                await Task.Delay(Step, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        NetStackCounters c = device.Counters;
        Log.Stopped(log, c.FramesReceived, c.FramesTransmitted, c.IcmpEchoRepliesSent, echo.Datagrams);
    }

    /// <summary>The router's side: a ping a second and a UDP echo every fifth second, each reported on the console.</summary>
    private static async Task ProbeAsync(NetStack router, VirtualClock clock, ILogger log, CancellationToken cancellationToken)
    {
        using var socket = new UdpSocket(router);
        var buffer = new byte[64];
        var target = new Ipv4EndPoint(DeviceAddress.Address, UdpEchoServer.DefaultPort);
        try
        {
            for (int second = 1; !cancellationToken.IsCancellationRequested; second++)
            {
                PingReply reply = await router.PingAsync(DeviceAddress.Address, TimeSpan.FromSeconds(1), cancellationToken: cancellationToken);
                Log.Ping(log, DeviceAddress.Address.ToString(), reply.Status, reply.RoundTripTime.TotalMilliseconds);
                if (second % 5 == 0)
                {
                    await socket.SendToAsync("hello, seqs"u8.ToArray(), target, cancellationToken);
                    UdpReceiveResult echoed = await socket.ReceiveFromAsync(buffer, cancellationToken);
                    Log.UdpEcho(log, echoed.ReceivedBytes, echoed.RemoteEndPoint.ToString());
                }
                await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Simulated LAN: device {Device} on {Nic}, router {Router} pinging it every second. For a real interface: --nic tap --tap-name NAME --ip A.B.C.D/N. Ctrl-C stops.")]
        public static partial void Started(ILogger logger, string nic, string device, string router);

        [LoggerMessage(2, LogLevel.Information, "router: ping {Address} {Status} {RoundTripMs} ms")]
        public static partial void Ping(ILogger logger, string address, PingStatus status, double roundTripMs);

        [LoggerMessage(3, LogLevel.Information, "router: UDP echo of {Bytes} bytes from {EndPoint}")]
        public static partial void UdpEcho(ILogger logger, int bytes, string endPoint);

        [LoggerMessage(4, LogLevel.Information, "Stopped: {Received} frames in, {Sent} out, {EchoReplies} echo replies, {UdpEchoes} UDP echoes")]
        public static partial void Stopped(ILogger logger, long received, long sent, long echoReplies, long udpEchoes);
    }
}
