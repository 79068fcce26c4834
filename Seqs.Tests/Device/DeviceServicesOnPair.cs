using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Device;
using Seqs.Device.Nics;
using Seqs.Device.Web;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Device;

/// <summary>
/// A <see cref="DeviceServices"/> as on a TAP with the address of stack B, the client on A. No --hostname unless
/// asked for: the mDNS responder's announcements would fall into the allocation measurements.
/// </summary>
internal sealed class DeviceServicesOnPair : IDisposable
{
    public const string Token = "0123456789abcdef0123456789abcdef";
    public static readonly Ipv4EndPoint Site = new(SimulatedPair.AddressB, 80);

    private readonly CancellationTokenSource _stop = new();

    public DeviceServicesOnPair(params string[] extra)
    {
        Pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromTicks(10) });
        string[] args = ["--nic", "tap", "--tap-name", "t0", "--ip", $"{SimulatedPair.AddressB}/24", "--access-token", Token, .. extra];
        Assert.That(DeviceOptions.TryParse(args, out DeviceOptions options, out string error), Is.True, error);
        VirtualNic cable = Pair.NicB;
        var nic = new OpenedNic(cable, "a virtual NIC", status =>
        {
            status.FramesReceived = cable.FramesReceived;
            status.FramesTransmitted = cable.FramesTransmitted;
            status.ReceiveErrors = cable.FramesDropped;
        });
        Services = new DeviceServices(Pair.B, nic, options, NullLoggerFactory.Instance);
        _ = Services.RunAsync(_stop.Token);
        Pair.Simulation.RunFor(TimeSpan.FromMilliseconds(1));
    }

    public SimulatedPair Pair { get; }

    public DeviceServices Services { get; }

    /// <summary>Sends one request on a new connection and returns everything until the server closes.</summary>
    public string Send(string request) => Send(Pair.Simulation, Pair.A, Site, request);

    /// <summary>Sends one request from <paramref name="client"/> on a new connection and returns everything until the server closes.</summary>
    public static string Send(NetworkSimulation simulation, NetStack client, Ipv4EndPoint site, string request)
    {
        string? response = null;
        _ = client.Loop.InvokeAsync(async () =>
        {
            await using TcpConnection connection = await client.Tcp.ConnectAsync(site);
            await connection.WriteAsync(Encoding.ASCII.GetBytes(request));
            var received = new MemoryStream();
            await connection.CopyToAsync(received);
            response = Encoding.UTF8.GetString(received.ToArray());
        });
        Assert.That(simulation.RunUntil(() => response is not null, TimeSpan.FromMinutes(1)), Is.True, $"no response to {request}");
        return response!;
    }

    public void Dispose()
    {
        _stop.Cancel();
        Pair.Simulation.RunFor(TimeSpan.FromSeconds(1));
        Services.Dispose();
        Pair.Dispose();
        _stop.Dispose();
    }
}
