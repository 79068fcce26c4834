#if NET8_0_OR_GREATER
namespace Seqs.Drivers.Cyw43.Spidev;

/// <summary>An open /dev/spidevB.C: the ioctls the transport needs. Tests put a fake in its place.</summary>
internal interface ISpidevFile : IDisposable
{
    /// <summary>ioctl(2): 0 or more on success; on failure −1, with the errno in <see cref="LastError"/>.</summary>
    int Ioctl(nuint request, nint argument);

    /// <summary>The errno of the last failed call.</summary>
    int LastError { get; }
}
#endif
