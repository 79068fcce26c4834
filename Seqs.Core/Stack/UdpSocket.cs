using System.Net;
using System.Net.Sockets;
using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>
/// A UDP socket (RFC 768) on a <see cref="NetStack"/>. <see cref="Bind"/>, the async methods and
/// <see cref="Dispose"/> are safe from any thread; calls made off the loop are carried over to it. One receive may
/// be outstanding at a time. Received datagrams wait in a bounded queue
/// (<see cref="NetStackOptions.UdpReceiveQueueDatagrams"/>); when it is full, new ones are dropped and counted.
/// Checksums are verified on receive and always sent.
/// </summary>
public sealed class UdpSocket : IDisposable
{
    private readonly NetStack _stack;
    private readonly UdpReceiveQueue _queue;
    // Created by the first asynchronous receive, so a socket that only sends or polls does not carry it.
    private LoopCompletion<UdpReceiveResult>? _receive;
    private Memory<byte> _receiveBuffer;

    public UdpSocket(NetStack stack)
    {
        _stack = stack ?? throw new ArgumentNullException(nameof(stack));
        _queue = new UdpReceiveQueue(stack.Options.UdpReceiveQueueDatagrams, stack.MaxUdpPayload);
    }

    /// <summary>The local port, 0 until bound (sending binds to an ephemeral port, RFC 6056).</summary>
    public ushort LocalPort { get; internal set; }

    public bool IsBound => LocalPort != 0;

    /// <summary>
    /// The IPv4 time to live of datagrams this socket sends, like <see cref="Socket.Ttl"/>; 0 (the default) uses
    /// <see cref="NetStackOptions.TimeToLive"/>.
    /// </summary>
    public byte TimeToLive { get; set; }

    /// <summary>Allows sending to broadcast addresses, like <see cref="Socket.EnableBroadcast"/>.</summary>
    public bool EnableBroadcast { get; set; }

    /// <summary>
    /// Takes datagrams sent to a broadcast or multicast address as well as those sent to this host (true by default);
    /// a service that answers every datagram (echo) turns it off, so that one broadcast is not answered by every host.
    /// </summary>
    public bool ReceivesBroadcast { get; set; } = true;

    /// <summary>Datagrams dropped because this socket's queue was full.</summary>
    public long DroppedDatagrams { get; private set; }

    /// <summary>
    /// Binds to <paramref name="port"/>, or to a random ephemeral port when it is 0. Throws
    /// <see cref="SocketException"/> (AddressAlreadyInUse) when the port is taken, (TooManyOpenSockets) when the
    /// stack's socket table is full.
    /// </summary>
    public void Bind(ushort port = 0)
    {
        ThrowIfDisposed();
        if (IsBound)
            throw new InvalidOperationException($"The socket is already bound to port {LocalPort}.");
        LocalPort = _stack.BindUdp(this, port);
    }

    /// <summary>
    /// Moves the bound socket to a new random ephemeral port (RFC 6056 §3.3.1), keeping its queue and pending receive;
    /// allocates nothing.
    /// </summary>
    internal void Rebind()
    {
        ThrowIfDisposed();
        if (!IsBound)
            throw new InvalidOperationException("The socket is not bound.");
        _stack.RebindUdp(this);
    }

    public ValueTask<UdpReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_stack.Loop.IsOnLoopThread)
            return ReceiveFromOffLoop(buffer, cancellationToken);
        ThrowIfDisposed();
        if (!IsBound)
            throw new InvalidOperationException("Bind the socket (or send from it) before receiving.");
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask<UdpReceiveResult>(Task.FromCanceled<UdpReceiveResult>(cancellationToken));
        _receive ??= new LoopCompletion<UdpReceiveResult>(_stack.Loop);
        if (_receive.IsBusy)
            throw new InvalidOperationException("A receive is already outstanding on this socket.");
        if (_queue.TryDequeue(buffer.Span, out UdpReceiveResult ready))
            return new ValueTask<UdpReceiveResult>(ready);
        _receiveBuffer = buffer;
        return _receive.Arm(cancellationToken);
    }

    /// <summary>Takes a queued datagram without waiting; for code running on the loop.</summary>
    public bool TryReceiveFrom(Span<byte> buffer, out UdpReceiveResult result)
    {
        ThrowIfDisposed();
        return _queue.TryDequeue(buffer, out result);
    }

    /// <summary>
    /// Sends one datagram. It completes once the datagram is handed to the NIC or held for ARP resolution.
    /// Throws <see cref="SocketException"/>: MessageSize when it does not fit the MTU (no fragmentation),
    /// NetworkUnreachable when there is no route, AccessDenied for a broadcast without <see cref="EnableBroadcast"/>.
    /// </summary>
    public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, Ipv4EndPoint remoteEndPoint, CancellationToken cancellationToken = default)
    {
        if (!_stack.Loop.IsOnLoopThread)
            return SendToOffLoop(datagram, remoteEndPoint, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask(Task.FromCanceled(cancellationToken));
        SendTo(datagram.Span, remoteEndPoint);
        return default;
    }

    public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default) =>
        SendToAsync(datagram, Ipv4EndPoint.FromIPEndPoint(remoteEndPoint), cancellationToken);

    /// <summary>Sends one datagram now; for code running on the loop. See <see cref="SendToAsync(ReadOnlyMemory{byte}, Ipv4EndPoint, CancellationToken)"/>.</summary>
    public void SendTo(ReadOnlySpan<byte> datagram, Ipv4EndPoint remoteEndPoint)
    {
        ThrowIfDisposed();
        if (remoteEndPoint.Port == 0)
            throw new ArgumentException("The remote port must not be 0.", nameof(remoteEndPoint));
        if (datagram.Length > _stack.MaxUdpPayload)
            throw new SocketException((int)SocketError.MessageSize);
        if (!EnableBroadcast && _stack.IsBroadcast(remoteEndPoint.Address))
            throw new SocketException((int)SocketError.AccessDenied);
        if (!IsBound)
            Bind();
        if (!_stack.SendUdp(LocalPort, remoteEndPoint, datagram, TimeToLive))
            throw new SocketException((int)SocketError.NetworkUnreachable);
    }

    public void Dispose()
    {
        if (!_stack.Loop.IsOnLoopThread)
        {
            _stack.Loop.Post(static s => ((UdpSocket)s!).Dispose(), this);
            return;
        }
        if (IsDisposed)
            return;
        IsDisposed = true;
        if (IsBound)
            _stack.UnbindUdp(this);
        _receiveBuffer = default;
        _receive?.SetException(new ObjectDisposedException(nameof(UdpSocket)));
    }

    internal bool IsDisposed { get; private set; }

    /// <summary>Called by the stack on the loop for each datagram to this socket's port, sent to <paramref name="destination"/>.</summary>
    internal void Deliver(ReadOnlySpan<byte> payload, Ipv4EndPoint sender, Ipv4Address destination)
    {
        if (_receive is { IsArmed: true })
        {
            Span<byte> into = _receiveBuffer.Span;
            int copied = Math.Min(payload.Length, into.Length);
            payload[..copied].CopyTo(into);
            _receiveBuffer = default;
            _receive.SetResult(new UdpReceiveResult(copied, sender, copied < payload.Length, destination));
            return;
        }
        if (!_queue.TryEnqueue(payload, sender, destination))
        {
            DroppedDatagrams++;
            _stack.Counters.UdpReceiveQueueFull++;
        }
    }

    // The lambdas live in their own methods: a lambda capturing parameters makes the compiler allocate its closure
    // on entry to the enclosing method, even on the path that does not use it.
    private ValueTask<UdpReceiveResult> ReceiveFromOffLoop(Memory<byte> buffer, CancellationToken cancellationToken) =>
        new(_stack.Loop.InvokeAsync(() => ReceiveFromAsync(buffer, cancellationToken).AsTask()));

    private ValueTask SendToOffLoop(ReadOnlyMemory<byte> datagram, Ipv4EndPoint remoteEndPoint, CancellationToken cancellationToken) =>
        new(_stack.Loop.InvokeAsync(() => SendToAsync(datagram, remoteEndPoint, cancellationToken).AsTask()));

    private void ThrowIfDisposed()
    {
        if (IsDisposed)
            throw new ObjectDisposedException(nameof(UdpSocket));
    }
}
