using Seqs.Hal;
using Seqs.Wire;

namespace Seqs.Simulation;

/// <summary>
/// A simulated Ethernet NIC. Arriving frames are copied into a bounded ring of preallocated buffers (a frame that
/// finds it full is dropped and counted); transmitted frames are padded to 60 bytes, as Ethernet hardware does,
/// and handed to the <see cref="VirtualLink"/> or <see cref="VirtualSwitch"/> port the NIC is connected to. With a
/// rate-limited cable, <see cref="TryTransmit"/> pushes back while <see cref="TransmitQueueLimit"/> frames are still
/// waiting for the wire. The link starts up; tests switch it with <see cref="SetLinkUp"/>.
/// Receiving (<see cref="InjectReceived"/>, arrivals from the cable), <see cref="SetLinkUp"/> and
/// <see cref="ArmWakeUp"/> are safe from any thread; the rest belongs to the loop's thread, as the contract says.
/// </summary>
public sealed class VirtualNic : IEthernetNic, IFrameSink
{
    /// <summary>Standard Ethernet: 1500-byte MTU plus the 14-byte header.</summary>
    public const int DefaultMaxFrameSize = 1514;

    public const int DefaultReceiveQueueCapacity = 64;

    public const int DefaultTransmitQueueLimit = 16;

    /// <summary>IEEE 802.3 minimum frame, FCS excluded; shorter frames are padded with zeros.</summary>
    private const int MinimumFrameSize = 60;

    private readonly object _gate = new();
    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private int _head;
    private int _count;
    private Action? _wakeUp;
    private LinkChannel? _transmit;
    private volatile bool _linkUp = true;
    private long _framesReceived;
    private long _bytesReceived;
    private long _framesDropped;
    private long _framesDiscarded;

    /// <param name="macAddress">The NIC's own address.</param>
    /// <param name="maxFrameSize">Largest frame in bytes, FCS excluded, that the NIC sends or receives.</param>
    /// <param name="receiveQueueCapacity">Frames held for the stack before arrivals are dropped.</param>
    /// <param name="transmitQueueLimit">Frames waiting for a rate-limited wire before <see cref="TryTransmit"/> returns false.</param>
    public VirtualNic(
        MacAddress macAddress,
        int maxFrameSize = DefaultMaxFrameSize,
        int receiveQueueCapacity = DefaultReceiveQueueCapacity,
        int transmitQueueLimit = DefaultTransmitQueueLimit)
    {
        if (maxFrameSize < MinimumFrameSize)
            throw new ArgumentOutOfRangeException(nameof(maxFrameSize), maxFrameSize, $"A NIC must carry frames of at least {MinimumFrameSize} bytes.");
        if (receiveQueueCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(receiveQueueCapacity), receiveQueueCapacity, "The receive queue must hold at least one frame.");
        if (transmitQueueLimit < 1)
            throw new ArgumentOutOfRangeException(nameof(transmitQueueLimit), transmitQueueLimit, "The transmit queue must hold at least one frame.");
        MacAddress = macAddress;
        MaxFrameSize = maxFrameSize;
        TransmitQueueLimit = transmitQueueLimit;
        _slots = new byte[receiveQueueCapacity][];
        for (int i = 0; i < _slots.Length; i++)
            _slots[i] = new byte[maxFrameSize];
        _lengths = new int[receiveQueueCapacity];
    }

    public event EventHandler? LinkStateChanged;

    public MacAddress MacAddress { get; }

    public int MaxFrameSize { get; }

    public bool IsLinkUp => _linkUp;

    public int ReceiveQueueCapacity => _slots.Length;

    public int TransmitQueueLimit { get; }

    /// <summary>Whether the NIC has been plugged into a link or a switch port.</summary>
    public bool IsConnected => _transmit is not null;

    /// <summary>Frames waiting for the stack to take them.</summary>
    public int ReceiveQueueLength
    {
        get
        {
            lock (_gate)
                return _count;
        }
    }

    /// <summary>Frames accepted into the receive queue.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Frames put on the wire, after padding.</summary>
    public long FramesTransmitted { get; private set; }

    /// <summary>Bytes put on the wire, padding included.</summary>
    public long BytesTransmitted { get; private set; }

    /// <summary>Arriving frames dropped because the receive queue was full.</summary>
    public long FramesDropped => Interlocked.Read(ref _framesDropped);

    /// <summary>
    /// Frames thrown away for another reason: sent or arriving while the link was down or the NIC unconnected,
    /// arriving longer than <see cref="MaxFrameSize"/>, or longer than the buffer given to <see cref="TryReceive"/>.
    /// </summary>
    public long FramesDiscarded => Interlocked.Read(ref _framesDiscarded);

    /// <summary>Calls to <see cref="TryTransmit"/> that returned false (back-pressure).</summary>
    public long TransmitRejections { get; private set; }

    /// <summary>Plugs or unplugs the cable: raises <see cref="LinkStateChanged"/> and fires the armed wake-up on a change.</summary>
    public void SetLinkUp(bool up)
    {
        lock (_gate)
        {
            if (_linkUp == up)
                return;
            _linkUp = up;
        }
        LinkStateChanged?.Invoke(this, EventArgs.Empty);
        FireWakeUp();
    }

    /// <summary>
    /// Delivers <paramref name="frame"/> as if it had arrived from the cable; safe from any thread. Returns false
    /// when the NIC dropped it (queue full, link down, too long).
    /// </summary>
    public bool InjectReceived(ReadOnlySpan<byte> frame)
    {
        lock (_gate)
        {
            if (!_linkUp || frame.Length > MaxFrameSize)
            {
                _framesDiscarded++;
                return false;
            }
            if (_count == _slots.Length)
            {
                _framesDropped++;
                return false;
            }
            int tail = (_head + _count) % _slots.Length;
            frame.CopyTo(_slots[tail]);
            _lengths[tail] = frame.Length;
            _count++;
            _framesReceived++;
            _bytesReceived += frame.Length;
        }
        FireWakeUp();
        return true;
    }

    public bool TryReceive(Span<byte> buffer, out int length)
    {
        lock (_gate)
        {
            while (_count > 0)
            {
                byte[] slot = _slots[_head];
                int frameLength = _lengths[_head];
                _head = (_head + 1) % _slots.Length;
                _count--;
                if (frameLength > buffer.Length)
                {
                    _framesDiscarded++;
                    continue;
                }
                slot.AsSpan(0, frameLength).CopyTo(buffer);
                length = frameLength;
                return true;
            }
        }
        length = 0;
        return false;
    }

    /// <exception cref="ArgumentException">The frame is longer than <see cref="MaxFrameSize"/>.</exception>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > MaxFrameSize)
            throw new ArgumentException($"A {frame.Length}-byte frame exceeds the NIC's {MaxFrameSize}-byte maximum.", nameof(frame));
        if (!_linkUp || _transmit is null)
        {
            Interlocked.Increment(ref _framesDiscarded);
            return true;
        }
        if (_transmit.QueuedFrames >= TransmitQueueLimit)
        {
            TransmitRejections++;
            return false;
        }
        if (frame.Length < MinimumFrameSize)
        {
            Span<byte> padded = stackalloc byte[MinimumFrameSize];
            frame.CopyTo(padded);
            padded[frame.Length..].Clear();
            Send(padded);
        }
        else
        {
            Send(frame);
        }
        return true;
    }

    public void ArmWakeUp(Action wakeUp)
    {
        if (wakeUp is null)
            throw new ArgumentNullException(nameof(wakeUp));
        Volatile.Write(ref _wakeUp, wakeUp);
        if (ReceiveQueueLength > 0)
            FireWakeUp();
    }

    void IFrameSink.Accept(ReadOnlySpan<byte> frame) => InjectReceived(frame);

    internal void Attach(LinkChannel transmit)
    {
        if (_transmit is not null)
            throw new InvalidOperationException($"NIC {MacAddress} is already connected; a NIC takes one cable.");
        _transmit = transmit;
    }

    internal void OnTransmitRoom() => FireWakeUp();

    private void Send(ReadOnlySpan<byte> frame)
    {
        _transmit!.Send(frame);
        FramesTransmitted++;
        BytesTransmitted += frame.Length;
    }

    private void FireWakeUp() => Interlocked.Exchange(ref _wakeUp, null)?.Invoke();
}
