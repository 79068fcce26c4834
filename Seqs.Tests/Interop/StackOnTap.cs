using Seqs.Device.HostNics;
using Seqs.Diagnostics;
using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// A NetStack with the UDP echo and discard services, running on its own loop thread over a TAP whose kernel side
/// sits in a fresh network namespace; every frame is recorded to a pcap file.
/// </summary>
internal sealed class StackOnTap : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly NetLoop _loop;
    private readonly Task _loopTask;
    private readonly FileStream _pcapFile;
    private readonly PcapWriter _pcap;
    private readonly UdpEchoServer _echo;
    private readonly UdpDiscardServer _discard;
    private readonly TcpEchoServer _tcpEcho;
    private readonly TcpDiscardServer _tcpDiscard;
    private readonly TcpChargenServer _tcpChargen;

    public StackOnTap(NetworkNamespace ns, Ipv4Cidr kernelSide, Ipv4Address stackAddress, NetStackOptions? options = null, bool receiveOffload = false)
    {
        Namespace = ns;
        Tap = ns.AddTap(kernelSide, receiveOffload: receiveOffload);
        PcapPath = Path.Combine(Path.GetTempPath(), $"{ns.Name}.pcap");
        _pcapFile = new FileStream(PcapPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        _pcap = new PcapWriter(_pcapFile);
        _loop = new NetLoop(TimeProvider.System);
        Stack = new NetStack(_loop, new CapturingNic(Tap, _pcap, TimeProvider.System), options);
        Stack.Configure(new Ipv4Cidr(stackAddress, kernelSide.PrefixLength), kernelSide.Address);
        _echo = new UdpEchoServer(Stack);
        _discard = new UdpDiscardServer(Stack);
        _tcpEcho = new TcpEchoServer(Stack);
        _tcpDiscard = new TcpDiscardServer(Stack);
        _tcpChargen = new TcpChargenServer(Stack);
        _ = _echo.RunAsync(_stop.Token);
        _ = _discard.RunAsync(_stop.Token);
        _ = _tcpEcho.RunAsync(_stop.Token);
        _ = _tcpDiscard.RunAsync(_stop.Token);
        _ = _tcpChargen.RunAsync(_stop.Token);
        _loopTask = _loop.Start(_stop.Token);
    }

    public NetworkNamespace Namespace { get; }

    public TapNic Tap { get; }

    public NetStack Stack { get; }

    public string PcapPath { get; }

    public long UdpEchoes => _echo.Datagrams;

    public TcpEchoServer TcpEcho => _tcpEcho;

    public TcpDiscardServer TcpDiscard => _tcpDiscard;

    /// <summary>Stops the loop and flushes the capture, so the pcap can be read.</summary>
    public void Stop()
    {
        if (_stop.IsCancellationRequested)
            return;
        _stop.Cancel();
        _loopTask.Wait(TimeSpan.FromSeconds(5));
        _pcap.Flush();
        _pcapFile.Flush();
    }

    /// <summary>Polls a counter (or anything) from the test thread until it holds or the time is up.</summary>
    public static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > end)
                return false;
            Thread.Sleep(20);
        }
        return true;
    }

    public void Dispose()
    {
        Stop();
        _echo.Dispose();
        _discard.Dispose();
        _tcpEcho.Dispose();
        _tcpDiscard.Dispose();
        _tcpChargen.Dispose();
        _pcap.Dispose();
        _pcapFile.Dispose();
        _loop.Dispose();
        _stop.Dispose();
        File.Delete(PcapPath);
    }
}
