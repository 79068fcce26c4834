using System.Diagnostics.CodeAnalysis;
using System.IO.Ports;
using Seqs.Hal;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device.HostNics;

/// <summary>
/// Ethernet frames over a serial line, as an <see cref="IEthernetNic"/>: each frame goes out SLIP-framed with a
/// CRC-32 (<see cref="SlipFrameEncoder"/>), for a microcontroller that forwards the frames of its network chip, or
/// for <c>seqs-device bridge</c> on the other end. Frames with a bad CRC and frames longer than
/// <see cref="MaxFrameSize"/> are dropped and counted. A reader thread decodes what arrives and a writer thread
/// sends what the stack queued, so neither receive nor transmit waits for the line. The link is up while the port
/// is open and readable. Owns the port and both threads; <see cref="Dispose"/> releases them.
/// </summary>
public sealed class SerialNic : IEthernetNic, IDisposable
{
    public const int DefaultBaudRate = 115200;

    private const int QueueCapacity = 32;
    private const int ReadChunkSize = 4096;
    private const int WriteTimeoutMilliseconds = 2000;

    private readonly Stream _line;
    private readonly IDisposable _port;
    private readonly BoundedFrameQueue _received = new(QueueCapacity, EthernetFrameLength.StandardMaximum);
    private readonly BoundedFrameQueue _toSend = new(QueueCapacity, EthernetFrameLength.StandardMaximum);
    private readonly SemaphoreSlim _sendSignal = new(0);
    private readonly Thread _reader;
    private readonly Thread _writer;
    private Action? _wakeUp;
    private volatile bool _transmitBlocked;
    private int _linkDown;
    private int _disposed;
    private long _receivedFrames;
    private long _transmittedFrames;
    private long _crcErrors;
    private long _oversizeFrames;
    private long _receiveDrops;
    private long _transmitDrops;

    internal SerialNic(Stream line, IDisposable port, string name, MacAddress macAddress)
    {
        _line = line;
        _port = port;
        Name = name;
        MacAddress = macAddress;
        _reader = new Thread(ReadLine) { IsBackground = true, Name = $"SerialNic {name} reader" };
        _writer = new Thread(WriteLine) { IsBackground = true, Name = $"SerialNic {name} writer" };
        _reader.Start();
        _writer.Start();
    }

    /// <summary>The serial port's path, such as <c>/dev/ttyUSB0</c>.</summary>
    public string Name { get; }

    public MacAddress MacAddress { get; }

    public int MaxFrameSize => EthernetFrameLength.StandardMaximum;

    public bool IsLinkUp => Volatile.Read(ref _linkDown) == 0 && Volatile.Read(ref _disposed) == 0;

    public event EventHandler? LinkStateChanged;

    public long ReceivedFrames => Interlocked.Read(ref _receivedFrames);

    public long TransmittedFrames => Interlocked.Read(ref _transmittedFrames);

    /// <summary>Frames, or line noise between two ENDs, whose CRC-32 did not match.</summary>
    public long CrcErrors => Interlocked.Read(ref _crcErrors);

    /// <summary>Received frames longer than <see cref="MaxFrameSize"/>.</summary>
    public long OversizeFrames => Interlocked.Read(ref _oversizeFrames);

    /// <summary>Good frames lost on receive: the receive queue was full, or the frame was longer than the caller's buffer.</summary>
    public long ReceiveDrops => Interlocked.Read(ref _receiveDrops);

    /// <summary>Frames lost on transmit: sent while the link was down, or the write to the port failed.</summary>
    public long TransmitDrops => Interlocked.Read(ref _transmitDrops);

    /// <summary>Opens <paramref name="portName"/> at <paramref name="baudRate"/>, 8 data bits, no parity, one stop bit, no flow control.</summary>
    /// <param name="macAddress">The stack's unicast MAC; by default a random locally administered one.</param>
    /// <exception cref="UnauthorizedAccessException">The port is busy or the user may not open it.</exception>
    /// <exception cref="IOException">The port does not exist or rejected its settings.</exception>
    public static SerialNic Open(string portName, int baudRate = DefaultBaudRate, MacAddress? macAddress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(portName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baudRate);
        // A write the far end does not take within the timeout (it stopped reading) drops that frame, so that the
        // writer thread, and Dispose waiting for it, never hang on a dead line.
        var port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One) { Handshake = Handshake.None, WriteTimeout = WriteTimeoutMilliseconds };
        try
        {
            port.Open();
            return new SerialNic(port.BaseStream, port, portName, macAddress ?? TapNic.RandomLocalMacAddress());
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    public bool TryReceive(Span<byte> buffer, out int length)
    {
        ThrowIfDisposed();
        length = 0;
        lock (_received)
        {
            while (_received.Count > 0)
            {
                Span<byte> frame = _received.PeekHead();
                if (frame.Length <= buffer.Length)
                {
                    frame.CopyTo(buffer);
                    length = frame.Length;
                }
                else
                {
                    Interlocked.Increment(ref _receiveDrops);
                }
                _received.DequeueHead();
                if (length > 0)
                    return true;
            }
        }
        return false;
    }

    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        ThrowIfDisposed();
        EthernetFrameLength.ThrowIfOutOfRange(frame.Length);
        if (Volatile.Read(ref _linkDown) != 0)
        {
            // Like a NIC without carrier: the frame is gone, and holding it back would stall the caller forever.
            Interlocked.Increment(ref _transmitDrops);
            return true;
        }
        lock (_toSend)
        {
            if (!_toSend.TryEnqueue(frame))
            {
                _transmitBlocked = true;
                return false;
            }
        }
        _sendSignal.Release();
        return true;
    }

    /// <summary>
    /// Arms the one-shot wake-up: it fires on the reader thread when a frame arrives or the link goes down, on the
    /// writer thread when a transmit that returned false may now succeed, or at once if a frame is already waiting.
    /// </summary>
    public void ArmWakeUp(Action wakeUp)
    {
        ArgumentNullException.ThrowIfNull(wakeUp);
        ThrowIfDisposed();
        Volatile.Write(ref _wakeUp, wakeUp);
        bool ready;
        lock (_received)
            ready = _received.Count > 0;
        if (ready || Volatile.Read(ref _linkDown) != 0 || (_transmitBlocked && HasTransmitRoom()))
            FireWakeUp();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Volatile.Write(ref _wakeUp, null);
        _sendSignal.Release();
        _port.Dispose();
        if (Thread.CurrentThread != _reader)
            _reader.Join();
        if (Thread.CurrentThread != _writer)
            _writer.Join();
        _sendSignal.Dispose();
    }

    private void ReadLine()
    {
        var decoder = new SlipFrameDecoder(MaxFrameSize);
        byte[] chunk = new byte[ReadChunkSize];
        while (Volatile.Read(ref _disposed) == 0)
        {
            int read;
            try
            {
                read = _line.Read(chunk, 0, chunk.Length);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
            {
                read = 0;
            }
            if (read == 0)
            {
                SetLinkDown();
                return;
            }
            bool arrived = false;
            foreach (byte b in chunk.AsSpan(0, read))
                arrived |= Accept(decoder.Decode(b), decoder);
            if (arrived)
                FireWakeUp();
        }
    }

    /// <summary>Counts what the decoder finished and queues a good frame; true when one was queued.</summary>
    private bool Accept(SlipDecodeResult result, SlipFrameDecoder decoder)
    {
        switch (result)
        {
            case SlipDecodeResult.CrcMismatch:
                Interlocked.Increment(ref _crcErrors);
                return false;
            case SlipDecodeResult.TooLong:
                Interlocked.Increment(ref _oversizeFrames);
                return false;
            case SlipDecodeResult.Frame:
                bool queued;
                lock (_received)
                    queued = _received.TryEnqueue(decoder.Frame);
                if (!queued)
                {
                    Interlocked.Increment(ref _receiveDrops);
                    return false;
                }
                Interlocked.Increment(ref _receivedFrames);
                return true;
            default:
                return false;
        }
    }

    private void WriteLine()
    {
        byte[] encoded = new byte[SlipFrameEncoder.MaxEncodedLength(MaxFrameSize)];
        while (true)
        {
            _sendSignal.Wait();
            if (Volatile.Read(ref _disposed) != 0)
                return;
            int length;
            lock (_toSend)
            {
                length = SlipFrameEncoder.Encode(_toSend.PeekHead(), encoded);
                _toSend.DequeueHead();
            }
            if (_transmitBlocked)
            {
                _transmitBlocked = false;
                FireWakeUp();
            }
            try
            {
                _line.Write(encoded, 0, length);
                Interlocked.Increment(ref _transmittedFrames);
            }
            catch (TimeoutException)
            {
                Interlocked.Increment(ref _transmitDrops);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _transmitDrops);
                SetLinkDown();
            }
        }
    }

    private bool HasTransmitRoom()
    {
        lock (_toSend)
            return _toSend.Count < QueueCapacity;
    }

    private void SetLinkDown()
    {
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.Exchange(ref _linkDown, 1) != 0)
            return;
        LinkStateChanged?.Invoke(this, EventArgs.Empty);
        FireWakeUp();
    }

    private void FireWakeUp() => Interlocked.Exchange(ref _wakeUp, null)?.Invoke();

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
            ThrowDisposed();
    }

    [DoesNotReturn]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(SerialNic));
}
