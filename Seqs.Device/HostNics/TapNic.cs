using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Seqs.Hal;
using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Device.HostNics;

/// <summary>
/// A Linux TAP interface (<c>/dev/net/tun</c> with IFF_TAP | IFF_NO_PI) as an <see cref="IEthernetNic"/>: the kernel
/// sees a virtual Ethernet port, and every frame it sends out of that port is received here.
/// The stack's <see cref="MacAddress"/> is its own, not the kernel TAP device's: the kernel is the peer on the link.
/// The link is up while the file descriptor is attached; it goes down if the kernel removes the device.
/// Owns the file descriptor and a wake-up thread; <see cref="Dispose"/> releases both.
/// </summary>
public sealed class TapNic : IEthernetNic, ILoopSleeper, IDisposable
{
    /// <summary>Bytes from the destination MAC through a 1500-byte payload (1500 MTU + 14-byte header).</summary>
    public const int StandardMaxFrameSize = EthernetFrameLength.StandardMaximum;

    private const string CloneDevice = "/dev/net/tun";

    // IEEE 802.3 §4.2.3.3: a frame is at least 64 bytes with its 4-byte FCS. The kernel accepts shorter writes,
    // but padding keeps what the kernel (and tcpdump on the TAP) sees the same as on a real wire.
    private const int MinimumFrameLength = 60;

    /// <summary>With offload: an Ethernet header and the largest IPv4 packet, received or sent as one TCP segment.</summary>
    public const int OffloadMaxFrameSize = EthernetFrame.HeaderLength + ushort.MaxValue;

    // The headers a large segment repeats in each cut one: Ethernet, IPv4 and TCP, each with their longest options.
    private const int MaxSegmentHeadersLength = EthernetFrame.HeaderLength + Ipv4Packet.MaxHeaderLength + TcpSegment.MaxHeaderLength;

    private readonly int _fd;
    private readonly int _eventFd;
    // Interrupts a Sleep of the loop's thread; apart from _eventFd, which the wake-up thread drains.
    private readonly int _interruptFd;
    private readonly bool _offload;
    private readonly Thread _wakeUpThread;
    private Action? _wakeUp;
    private volatile bool _transmitBlocked;
    private int _linkDown;
    private int _disposed;
    private long _receivedFrames;
    private long _transmittedFrames;
    private long _droppedFrames;
    private long _transmittedLargeSegments;

    private TapNic(int fd, int eventFd, int interruptFd, string name, MacAddress macAddress, bool offload)
    {
        _fd = fd;
        _eventFd = eventFd;
        _interruptFd = interruptFd;
        _offload = offload;
        Name = name;
        MacAddress = macAddress;
        _wakeUpThread = new Thread(WatchForWakeUps) { IsBackground = true, Name = $"TapNic {name} wake-up" };
        _wakeUpThread.Start();
    }

    /// <summary>The kernel's name for the TAP device (the name asked for, or the one the kernel chose for a pattern such as <c>tap%d</c>).</summary>
    public string Name { get; }

    public MacAddress MacAddress { get; }

    public int MaxFrameSize => StandardMaxFrameSize;

    /// <summary>
    /// <see cref="StandardMaxFrameSize"/>, or with offload <see cref="OffloadMaxFrameSize"/>: the kernel then hands
    /// over TCP segments of up to 64 KiB as it would to a NIC with LRO, one read for what would be dozens of frames.
    /// </summary>
    public int MaxReceiveFrameSize => _offload ? OffloadMaxFrameSize : StandardMaxFrameSize;

    /// <summary>
    /// With offload <see cref="OffloadMaxFrameSize"/>: the kernel takes TCP segments of up to 64 KiB in one write and
    /// cuts them into standard frames itself (TSO, <see cref="TryTransmitSegmented"/>); else <see cref="StandardMaxFrameSize"/>.
    /// </summary>
    public int MaxSegmentationFrameSize => _offload ? OffloadMaxFrameSize : StandardMaxFrameSize;

    /// <summary>True when the kernel agreed to the offloads asked for with <see cref="Open"/>.</summary>
    public bool HasOffload => _offload;

    /// <summary>True while the descriptor is attached to the device; false after <see cref="Dispose"/> or once the kernel removed the device.</summary>
    public bool IsLinkUp => Volatile.Read(ref _linkDown) == 0 && Volatile.Read(ref _disposed) == 0;

    public event EventHandler? LinkStateChanged;

    public long ReceivedFrames => Interlocked.Read(ref _receivedFrames);

    /// <summary>Writes into the TAP, each a frame or, with offload, a large TCP segment the kernel cuts up.</summary>
    public long TransmittedFrames => Interlocked.Read(ref _transmittedFrames);

    /// <summary>The writes of <see cref="TransmittedFrames"/> that were large TCP segments for the kernel to cut up (TSO).</summary>
    public long TransmittedLargeSegments => Interlocked.Read(ref _transmittedLargeSegments);

    /// <summary>Frames lost here: received frames longer than the caller's buffer, and frames transmitted while the link was down.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>
    /// Attaches to the TAP device <paramref name="name"/>, creating it if it does not exist. A device this call creates
    /// disappears when the NIC is disposed; a pre-created persistent one (<c>ip tuntap add</c>) stays.
    /// </summary>
    /// <param name="name">An interface name of at most 15 bytes, or a pattern such as <c>tap%d</c>.</param>
    /// <param name="macAddress">The stack's unicast MAC; by default a random locally administered one (IEEE 802 U/L bit set).</param>
    /// <param name="offload">
    /// Every read and write carries a <see cref="VirtioNetHeader"/> (IFF_VNET_HDR). Receiving, the kernel is told with
    /// TUNSETOFFLOAD (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO_ECN) that this end takes TCP/IPv4 segments of up to 64 KiB and
    /// packets whose checksum is still to be computed; the NIC completes such a checksum before the stack sees the
    /// frame. Sending, the stack may hand over TCP segments of up to 64 KiB (<see cref="TryTransmitSegmented"/>),
    /// which the kernel cuts into standard frames, computing their checksums, as it does for a virtio guest.
    /// </param>
    /// <exception cref="UnauthorizedAccessException">The process may neither create nor attach to the device; the message says how to fix it.</exception>
    /// <exception cref="IOException">The device is busy, is not a TAP, or TUN/TAP is unavailable; the message says which.</exception>
    public static unsafe TapNic Open(string name, MacAddress? macAddress = null, bool offload = false)
    {
        if (name is null)
            throw new ArgumentNullException(nameof(name));
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) >= LibC.InterfaceNameSize || name.Contains('/') || name.Any(char.IsWhiteSpace))
            throw new ArgumentException($"'{name}' is not a Linux interface name: use 1 to 15 characters without '/' or spaces, such as tap0.", nameof(name));
        if (macAddress is { IsMulticast: true } group)
            throw new ArgumentException($"{group} is a group address; a NIC needs a unicast MAC (first octet even), such as 02:00:00:00:00:01.", nameof(macAddress));

        int fd = LibC.Open(CloneDevice, LibC.OpenReadWrite | LibC.OpenNonBlocking | LibC.OpenCloseOnExec);
        if (fd < 0)
            throw CloneDeviceFailure(Marshal.GetLastPInvokeError(), name);

        LibC.InterfaceRequest request = default;
        Encoding.UTF8.GetBytes(name, new Span<byte>(request.Name, LibC.InterfaceNameSize - 1));
        request.Flags = (short)(LibC.InterfaceFlagTap | LibC.InterfaceFlagNoPacketInfo | (offload ? LibC.InterfaceFlagVirtioNetHeader : 0));
        if (LibC.Ioctl(fd, LibC.TunSetInterface, &request) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            LibC.Close(fd);
            throw OpenFailure(errno, name);
        }
        // The offloads are the device's, not the descriptor's: a persistent TAP keeps those of its last reader, so
        // without offload they are cleared too, or the kernel would hand this reader partial checksums it cannot see.
        uint offloads = offload ? LibC.TunOffloadChecksum | LibC.TunOffloadTcp4 | LibC.TunOffloadTcpEcn : 0;
        if (LibC.Ioctl(fd, LibC.TunSetOffload, (void*)(nuint)offloads) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            LibC.Close(fd);
            throw new IOException($"Cannot turn {(offload ? "on" : "off")} the offloads of TAP device '{name}': TUNSETOFFLOAD failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
        string actualName = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(request.Name));

        int eventFd = LibC.EventFd(0, LibC.EventFdNonBlocking | LibC.EventFdCloseOnExec);
        int interruptFd = eventFd < 0 ? -1 : LibC.EventFd(0, LibC.EventFdNonBlocking | LibC.EventFdCloseOnExec);
        if (interruptFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (eventFd >= 0)
                LibC.Close(eventFd);
            LibC.Close(fd);
            throw new IOException($"eventfd failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
        return new TapNic(fd, eventFd, interruptFd, actualName, macAddress ?? RandomLocalMacAddress(), offload);
    }

    /// <summary>A random unicast MAC with the locally administered bit set (IEEE 802-2014 §8.2: first octet x2, x6, xA or xE).</summary>
    public static MacAddress RandomLocalMacAddress()
    {
        Span<byte> bytes = stackalloc byte[MacAddress.Length];
        RandomNumberGenerator.Fill(bytes);
        bytes[0] = (byte)((bytes[0] & 0xFC) | 0x02);
        return MacAddress.Read(bytes);
    }

    public bool TryReceive(Span<byte> buffer, out int length) => TryReceive(buffer, out length, vouch: false, out _);

    /// <summary>
    /// With offload, a TCP or UDP segment from the host's own stack keeps the checksum the kernel left undone, and one
    /// the kernel checked is not checked again: either is vouched for (<see cref="VirtioNetHeader.VouchesForTransportChecksum"/>),
    /// which spares the stack a pass over every 64 KiB segment. Other frames have their checksums completed.
    /// </summary>
    public bool TryReceive(Span<byte> buffer, out int length, out bool transportChecksumVouched) =>
        TryReceive(buffer, out length, vouch: true, out transportChecksumVouched);

    private unsafe bool TryReceive(Span<byte> buffer, out int length, bool vouch, out bool vouched)
    {
        vouched = false;
        ThrowIfDisposed();
        if (buffer.IsEmpty)
            ThrowEmptyBuffer();
        length = 0;
        if (Volatile.Read(ref _linkDown) != 0)
            return false;
        // The tun driver silently truncates a frame to the space offered and returns the truncated length, so a
        // spare byte after the caller's buffer is what tells a frame that did not fit from one that just fitted.
        byte overflow;
        byte* header = stackalloc byte[VirtioNetHeader.Length];
        int headerLength = _offload ? VirtioNetHeader.Length : 0;
        fixed (byte* destination = buffer)
        {
            LibC.IoVector* vectors = stackalloc LibC.IoVector[3];
            vectors[0] = new LibC.IoVector { Base = header, Length = (nuint)headerLength };
            vectors[1] = new LibC.IoVector { Base = destination, Length = (nuint)buffer.Length };
            vectors[2] = new LibC.IoVector { Base = &overflow, Length = 1 };
            while (true)
            {
                nint read = LibC.ReadVector(_fd, vectors, 3);
                if (read < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.Errno.EINTR)
                        continue;
                    if (errno == LibC.Errno.EAGAIN)
                        return false;
                    if (IsDetached(errno))
                    {
                        SetLinkDown();
                        return false;
                    }
                    ThrowIOError("read", errno);
                }
                read -= headerLength;
                if (read > buffer.Length || (_offload && !TakeChecksum(VirtioNetHeader.Read(new ReadOnlySpan<byte>(header, VirtioNetHeader.Length)), buffer[..(int)read], vouch, out vouched)))
                {
                    Interlocked.Increment(ref _droppedFrames);
                    continue;
                }
                Interlocked.Increment(ref _receivedFrames);
                length = (int)read;
                return true;
            }
        }
    }

    /// <summary>
    /// A received frame's transport checksum as <paramref name="header"/> leaves it: vouched for when
    /// <paramref name="vouch"/> and the header allows, else completed; false for a header pointing outside the frame.
    /// </summary>
    private static bool TakeChecksum(VirtioNetHeader header, Span<byte> frame, bool vouch, out bool vouched)
    {
        vouched = vouch && header.VouchesForTransportChecksum(frame);
        return vouched || header.TryCompleteChecksum(frame);
    }

    public unsafe bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        ThrowIfDisposed();
        EthernetFrameLength.ThrowIfOutOfRange(frame.Length);
        scoped ReadOnlySpan<byte> bytes = frame;
        Span<byte> padded = stackalloc byte[MinimumFrameLength];
        if (frame.Length < MinimumFrameLength)
        {
            padded.Clear();
            frame.CopyTo(padded);
            bytes = padded;
        }
        // With IFF_VNET_HDR every write starts with a header; all zeros says "a plain frame, checksums done".
        byte* header = stackalloc byte[VirtioNetHeader.Length];
        VirtioNetHeader.Plain.Write(new Span<byte>(header, VirtioNetHeader.Length));
        fixed (byte* source = bytes)
        {
            LibC.IoVector* vectors = stackalloc LibC.IoVector[2];
            vectors[0] = new LibC.IoVector { Base = header, Length = _offload ? VirtioNetHeader.Length : 0u };
            vectors[1] = new LibC.IoVector { Base = source, Length = (nuint)bytes.Length };
            return TryWrite(vectors, 2);
        }
    }

    /// <summary>
    /// Hands the kernel a TCP/IPv4 frame of up to <see cref="MaxSegmentationFrameSize"/> octets to cut into segments
    /// of <paramref name="segmentSize"/> payload octets each (TSO: VIRTIO_NET_HDR_GSO_TCPV4). Its TCP checksum field
    /// is ignored: the header says VIRTIO_NET_HDR_F_NEEDS_CSUM, the field goes with the pseudo-header sum, and the
    /// kernel computes each cut segment's checksum (or a local peer trusts it, as from any NIC with checksum offload).
    /// </summary>
    /// <exception cref="InvalidOperationException">The TAP was opened without offload.</exception>
    /// <exception cref="ArgumentException">The frame is not a TCP/IPv4 frame, or is longer than <see cref="MaxSegmentationFrameSize"/>.</exception>
    public unsafe bool TryTransmitSegmented(ReadOnlySpan<byte> frame, int segmentSize)
    {
        ThrowIfDisposed();
        if (!_offload)
            throw new InvalidOperationException($"TAP device '{Name}' was opened without offload; it takes only frames of {StandardMaxFrameSize} octets at most.");
        if (frame.Length > OffloadMaxFrameSize || segmentSize is < 1 or > ushort.MaxValue)
            throw new ArgumentException($"A {frame.Length}-octet frame in segments of {segmentSize} is beyond what the TAP takes ({OffloadMaxFrameSize} octets, segments of 1 to {ushort.MaxValue}).", nameof(frame));
        if (!TcpFrameLayout.TryRead(frame, out TcpFrameLayout layout))
            throw new ArgumentException("Only a TCP/IPv4 frame with consistent lengths can be segmented.", nameof(frame));
        // The headers go from a copy whose checksum field holds the pseudo-header sum (the checksum's start), which
        // the kernel adjusts for each cut segment's length; the payload goes from the caller's frame.
        Span<byte> headers = stackalloc byte[MaxSegmentHeadersLength];
        frame[..layout.HeadersLength].CopyTo(headers);
        layout.WritePseudoHeaderSum(headers);
        int payloadLength = frame.Length - layout.HeadersLength;
        byte* header = stackalloc byte[VirtioNetHeader.Length];
        VirtioNetHeader.ForTcpSegment(layout.TcpStart, layout.HeadersLength, payloadLength, segmentSize, layout.CongestionWindowReduced)
            .Write(new Span<byte>(header, VirtioNetHeader.Length));
        fixed (byte* copy = headers)
        fixed (byte* source = frame)
        {
            LibC.IoVector* vectors = stackalloc LibC.IoVector[3];
            vectors[0] = new LibC.IoVector { Base = header, Length = VirtioNetHeader.Length };
            vectors[1] = new LibC.IoVector { Base = copy, Length = (nuint)layout.HeadersLength };
            vectors[2] = new LibC.IoVector { Base = source + layout.HeadersLength, Length = (nuint)payloadLength };
            if (!TryWrite(vectors, 3))
                return false;
        }
        if (payloadLength > segmentSize)
            Interlocked.Increment(ref _transmittedLargeSegments);
        return true;
    }

    /// <summary>One write of the gathered <paramref name="vectors"/>: false on back-pressure (EAGAIN); a frame for a detached device is dropped and counted.</summary>
    private unsafe bool TryWrite(LibC.IoVector* vectors, int count)
    {
        if (Volatile.Read(ref _linkDown) != 0)
        {
            // Like a NIC without carrier: the frame is gone, and holding it back would stall the caller forever.
            Interlocked.Increment(ref _droppedFrames);
            return true;
        }
        while (true)
        {
            nint written = LibC.WriteVector(_fd, vectors, count);
            if (written >= 0)
            {
                Interlocked.Increment(ref _transmittedFrames);
                return true;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.Errno.EINTR)
                continue;
            if (errno == LibC.Errno.EAGAIN)
            {
                _transmitBlocked = true;
                return false;
            }
            if (IsDetached(errno))
            {
                SetLinkDown();
                Interlocked.Increment(ref _droppedFrames);
                return true;
            }
            ThrowIOError("write", errno);
        }
    }

    /// <summary>
    /// Arms the one-shot wake-up. It fires on the NIC's wake-up thread when a frame is waiting, when a transmit that
    /// returned false may now succeed, or when the link goes down. Arming again before it fires replaces the action.
    /// </summary>
    public void ArmWakeUp(Action wakeUp)
    {
        if (wakeUp is null)
            throw new ArgumentNullException(nameof(wakeUp));
        ThrowIfDisposed();
        if (Volatile.Read(ref _linkDown) != 0)
        {
            wakeUp();
            return;
        }
        Volatile.Write(ref _wakeUp, wakeUp);
        SignalWakeUpThread();
    }

    /// <summary>
    /// Polls the TAP on the calling thread (the loop's, as <see cref="NetLoop.Sleeper"/>) until a frame waits, a
    /// refused transmit may go, the device goes away, <see cref="Interrupt"/> is called or the timeout passes: the
    /// kernel wakes the loop itself, without the wake-up thread between them. Times are rounded up to milliseconds.
    /// </summary>
    public unsafe void Sleep(TimeSpan timeout)
    {
        ThrowIfDisposed();
        LibC.PollDescriptor* fds = stackalloc LibC.PollDescriptor[2];
        fds[0] = new LibC.PollDescriptor { Fd = _interruptFd, Events = LibC.PollIn };
        fds[1] = new LibC.PollDescriptor { Fd = _fd, Events = (short)(LibC.PollIn | (_transmitBlocked ? LibC.PollOut : 0)) };
        // Once the device is gone its descriptor polls as an error at once, so only the interrupt is watched.
        uint count = Volatile.Read(ref _linkDown) == 0 ? 2u : 1u;
        int milliseconds = timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min(int.MaxValue, Math.Ceiling(timeout.TotalMilliseconds));
        // EINTR returns early, which a sleeper may do.
        if (LibC.Poll(fds, count, milliseconds) <= 0)
            return;
        if (fds[0].ReturnedEvents != 0)
            DrainEventFd(_interruptFd);
        if (count < 2)
            return;
        if ((fds[1].ReturnedEvents & (LibC.PollError | LibC.PollHangUp | LibC.PollInvalid)) != 0)
            SetLinkDown();
        else if ((fds[1].ReturnedEvents & LibC.PollOut) != 0)
            _transmitBlocked = false;
    }

    /// <summary>Ends a <see cref="Sleep"/> in progress, or the next one, at once; any thread may call it.</summary>
    public void Interrupt() => Signal(_interruptFd);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Volatile.Write(ref _wakeUp, null);
        SignalWakeUpThread();
        if (Thread.CurrentThread != _wakeUpThread)
            _wakeUpThread.Join();
        LibC.Close(_fd);
        LibC.Close(_eventFd);
        LibC.Close(_interruptFd);
    }

    // open(2) of the clone device fails before the kernel looks at the TAP, so a TAP owned by the user cannot help:
    // the node's mode must let the user read and write it (udev makes it 0666; some containers leave it 0600).
    internal static Exception CloneDeviceFailure(int errno, string name) => errno switch
    {
        LibC.Errno.EPERM or LibC.Errno.EACCES => new UnauthorizedAccessException(
            $"Cannot open {CloneDevice} for TAP device '{name}': permission denied. Run as root, " +
            $"or let every user open it as most systems do ('sudo chmod 0666 {CloneDevice}')."),
        _ => OpenFailure(errno, name),
    };

    internal static Exception OpenFailure(int errno, string name) => errno switch
    {
        LibC.Errno.EPERM or LibC.Errno.EACCES => new UnauthorizedAccessException(
            $"Cannot create or attach to TAP device '{name}': permission denied. Run as root (or with CAP_NET_ADMIN), " +
            $"or pre-create the device for this user with 'sudo ip tuntap add dev {name} mode tap user $USER'."),
        LibC.Errno.ENOENT or LibC.Errno.ENODEV => new IOException(
            $"Cannot open TAP device '{name}': {CloneDevice} is missing. Load the TUN/TAP driver with 'sudo modprobe tun'."),
        LibC.Errno.EBUSY => new IOException(
            $"Cannot attach to TAP device '{name}': another process has it open. Stop that process or choose another name."),
        LibC.Errno.EINVAL => new IOException(
            $"Cannot attach to '{name}': an interface of that name exists but is not a single-queue TAP device. " +
            $"Delete it ('sudo ip link del {name}') or choose another name."),
        _ => new IOException($"Cannot open TAP device '{name}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})."),
    };

    // EBADFD: the device was deleted under the descriptor (for example with its network namespace). EIO: it is going away.
    private static bool IsDetached(int errno) => errno is LibC.Errno.EBADFD or LibC.Errno.EIO;

    private unsafe void WatchForWakeUps()
    {
        LibC.PollDescriptor* fds = stackalloc LibC.PollDescriptor[2];
        while (Volatile.Read(ref _disposed) == 0)
        {
            fds[0] = new LibC.PollDescriptor { Fd = _eventFd, Events = LibC.PollIn };
            // Watching the TAP only while armed keeps a readable but unarmed descriptor from spinning this thread.
            bool armed = Volatile.Read(ref _wakeUp) is not null && Volatile.Read(ref _linkDown) == 0;
            fds[1] = new LibC.PollDescriptor { Fd = _fd, Events = (short)(LibC.PollIn | (_transmitBlocked ? LibC.PollOut : 0)) };
            if (LibC.Poll(fds, armed ? 2u : 1u, -1) < 0)
            {
                if (Marshal.GetLastPInvokeError() == LibC.Errno.EINTR)
                    continue;
                SetLinkDown();
                return;
            }
            if (fds[0].ReturnedEvents != 0)
                DrainEventFd(_eventFd);
            if (!armed || fds[1].ReturnedEvents == 0 || Volatile.Read(ref _disposed) != 0)
                continue;
            if ((fds[1].ReturnedEvents & (LibC.PollError | LibC.PollHangUp | LibC.PollInvalid)) != 0)
            {
                SetLinkDown();
                continue;
            }
            if ((fds[1].ReturnedEvents & LibC.PollOut) != 0)
                _transmitBlocked = false;
            Interlocked.Exchange(ref _wakeUp, null)?.Invoke();
        }
    }

    private void SetLinkDown()
    {
        if (Interlocked.Exchange(ref _linkDown, 1) != 0)
            return;
        LinkStateChanged?.Invoke(this, EventArgs.Empty);
        Interlocked.Exchange(ref _wakeUp, null)?.Invoke();
    }

    private void SignalWakeUpThread() => Signal(_eventFd);

    private static unsafe void Signal(int eventFd)
    {
        ulong one = 1;
        // Only EAGAIN (counter at its maximum) can fail here, and then the waiter is already due to wake.
        LibC.Write(eventFd, (byte*)&one, sizeof(ulong));
    }

    private static unsafe void DrainEventFd(int eventFd)
    {
        ulong count;
        LibC.Read(eventFd, (byte*)&count, sizeof(ulong));
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
            ThrowDisposed();
    }

    [DoesNotReturn]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(TapNic));

    [DoesNotReturn]
    private static void ThrowEmptyBuffer() => throw new ArgumentException("The receive buffer is empty.", "buffer");

    [DoesNotReturn]
    private void ThrowIOError(string operation, int errno) =>
        throw new IOException($"{operation} on TAP device '{Name}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
}
