#if NET8_0_OR_GREATER
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Seqs.Drivers.Cyw43.Spidev;

/// <summary>/dev/spidevB.C opened read-write through libc.</summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe partial class LinuxSpidevFile : ISpidevFile
{
    private const int ReadWrite = 2; // O_RDWR

    private int _fd;

    public LinuxSpidevFile(string path)
    {
        _fd = Open(path, ReadWrite);
        if (_fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}). Enable SPI (dtparam=spi=on) and check that the user may open the device (the spi group).");
        }
    }

    public int LastError { get; private set; }

    public int Ioctl(nuint request, nint argument)
    {
        int result = IoctlCall(_fd, request, (void*)argument);
        if (result < 0)
            LastError = Marshal.GetLastPInvokeError();
        return result;
    }

    public void Dispose()
    {
        if (_fd >= 0)
            Close(_fd);
        _fd = -1;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    // ioctl is variadic; on the Linux ABIs .NET supports, a pointer argument is passed as in a fixed-argument call.
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlCall(int fd, nuint request, void* argument);
}
#endif
