using Seqs.Device.HostNics;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// A NetStack on its own loop thread over a TAP whose kernel side is in <paramref name="ns"/>, left unconfigured
/// (for a DHCP client) or given <paramref name="address"/> (for a DHCP server).
/// </summary>
internal sealed class DhcpStackOnTap : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly NetLoop _loop;
    private Task? _loopTask;

    public DhcpStackOnTap(NetworkNamespace ns, Ipv4Cidr kernelSide, Ipv4Cidr? address = null)
    {
        Tap = ns.AddTap(kernelSide);
        _loop = new NetLoop(TimeProvider.System);
        Stack = new NetStack(_loop, Tap);
        if (address is Ipv4Cidr own)
            Stack.Configure(own);
    }

    public TapNic Tap { get; }

    public NetStack Stack { get; }

    public CancellationToken Stopping => _stop.Token;

    public void Start() => _loopTask = _loop.Start(_stop.Token);

    /// <summary>Runs <paramref name="action"/> on the loop and waits for it.</summary>
    public void OnLoop(Action action) => _loop.InvokeAsync(() =>
    {
        action();
        return Task.CompletedTask;
    }).Wait(TimeSpan.FromSeconds(5));

    public void Dispose()
    {
        _stop.Cancel();
        _loopTask?.Wait(TimeSpan.FromSeconds(5));
        _loop.Dispose();
        _stop.Dispose();
    }
}
