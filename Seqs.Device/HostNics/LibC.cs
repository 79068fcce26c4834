using System.Runtime.InteropServices;

namespace Seqs.Device.HostNics;

/// <summary>The few Linux libc calls the host NICs need. Values are from the x86_64 and asm-generic (arm, arm64) headers, which agree on all of them.</summary>
internal static unsafe partial class LibC
{
    // <fcntl.h>
    public const int OpenReadWrite = 0x2; // O_RDWR
    public const int OpenNonBlocking = 0x800; // O_NONBLOCK
    public const int OpenCloseOnExec = 0x80000; // O_CLOEXEC

    // <sys/eventfd.h>
    public const int EventFdNonBlocking = 0x800; // EFD_NONBLOCK
    public const int EventFdCloseOnExec = 0x80000; // EFD_CLOEXEC

    // <poll.h>
    public const short PollIn = 0x1; // POLLIN
    public const short PollOut = 0x4; // POLLOUT
    public const short PollError = 0x8; // POLLERR
    public const short PollHangUp = 0x10; // POLLHUP
    public const short PollInvalid = 0x20; // POLLNVAL

    // <linux/if_tun.h>: _IOW('T', 202, int); docs/reference/dotnet-iot.md#linux-tap
    public const uint TunSetInterface = 0x400454CA; // TUNSETIFF
    public const short InterfaceFlagTap = 0x0002; // IFF_TAP
    public const short InterfaceFlagNoPacketInfo = 0x1000; // IFF_NO_PI
    public const short InterfaceFlagVirtioNetHeader = 0x4000; // IFF_VNET_HDR
    public const uint TunSetOffload = 0x400454D0; // TUNSETOFFLOAD, _IOW('T', 208, unsigned int); the flags are the argument itself
    public const uint TunOffloadChecksum = 0x01; // TUN_F_CSUM: the reader takes packets whose checksum is left to it
    public const uint TunOffloadTcp4 = 0x02; // TUN_F_TSO4: the reader takes TCP/IPv4 segments larger than the MTU
    public const uint TunOffloadTcpEcn = 0x08; // TUN_F_TSO_ECN

    // <net/if.h>: IFNAMSIZ includes the terminating NUL.
    public const int InterfaceNameSize = 16;

    /// <summary>POSIX errno values used by name.</summary>
    public static class Errno
    {
        public const int EPERM = 1;
        public const int ENOENT = 2;
        public const int EINTR = 4;
        public const int EIO = 5;
        public const int EAGAIN = 11;
        public const int EACCES = 13;
        public const int EBUSY = 16;
        public const int ENODEV = 19;
        public const int EINVAL = 22;
        public const int EBADFD = 77;
    }

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>
    /// <c>struct ifreq</c>: <c>char ifr_name[IFNAMSIZ]</c>, then a union whose first member is <c>short ifr_flags</c>.
    /// 40 bytes on LP64, 32 on ILP32; the larger size is safe for both.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 40)]
    public struct InterfaceRequest
    {
        [FieldOffset(0)]
        public fixed byte Name[InterfaceNameSize];

        [FieldOffset(16)]
        public short Flags;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "readv", SetLastError = true)]
    public static partial nint ReadVector(int fd, IoVector* vectors, int count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "writev", SetLastError = true)]
    public static partial nint WriteVector(int fd, IoVector* vectors, int count);

    // ioctl is variadic; on the Linux ABIs .NET supports a pointer argument is passed as in a fixed-argument call.
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
