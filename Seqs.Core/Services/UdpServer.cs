using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Diagnostics;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Services;

/// <summary>
/// A UDP service bound to one port that handles each datagram as it arrives, on the stack's loop, with one
/// reusable buffer: nothing is allocated per datagram once running.
/// </summary>
public abstract partial class UdpServer : NetService
{
    private readonly byte[] _buffer;
    private readonly ILogger _logger;
    private LogGate _failureLog;

    /// <param name="logger">Where a datagram whose handling threw is reported, at most five lines a minute.</param>
    protected UdpServer(NetStack stack, ushort port, ILogger? logger = null)
        : base(stack)
    {
        Socket = new UdpSocket(stack);
        Socket.Bind(port);
        _buffer = new byte[stack.MaxUdpPayload];
        _logger = logger ?? NullLogger.Instance;
    }

    public ushort Port => Socket.LocalPort;

    /// <summary>Datagrams handled so far.</summary>
    public long Datagrams { get; private set; }

    /// <summary>Datagrams whose handling threw; each was dropped and the service went on.</summary>
    public long FailedDatagrams { get; private set; }

    protected UdpSocket Socket { get; }

    /// <summary>
    /// Where the datagram being handled was sent: this host's address, a broadcast address or a multicast group
    /// (<see cref="UdpReceiveResult.LocalAddress"/>). Valid during <see cref="OnDatagram"/>.
    /// </summary>
    protected Ipv4Address DatagramDestination { get; private set; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Socket.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Handles one datagram, on the loop; <paramref name="datagram"/> is valid only during the call.</summary>
    protected abstract void OnDatagram(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender);

    protected sealed override async Task ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                UdpReceiveResult received = await Socket.ReceiveFromAsync(_buffer, cancellationToken);
                Datagrams++;
                DatagramDestination = received.LocalAddress;
                try
                {
                    OnDatagram(_buffer.AsSpan(0, received.ReceivedBytes), received.RemoteEndPoint);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One datagram, however it is made, must cost only itself: the service goes on.
                    FailedDatagrams++;
                    if (_failureLog.TryEnter(Stack.Loop.Now, out int suppressed))
                        Log.DatagramFailed(_logger, Port, received.RemoteEndPoint.ToString(), LogGate.Note(suppressed), e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "UDP service on port {Port} dropped a datagram from {Sender}: handling it failed{Suppressed}")]
        public static partial void DatagramFailed(ILogger logger, ushort port, string sender, string suppressed, Exception exception);
    }
}
