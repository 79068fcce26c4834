using System.Net.Sockets;

namespace Seqs.Tcp;

/// <summary>Why a connection ended other than by an orderly close.</summary>
public enum TcpError
{
    None,
    /// <summary>The peer answered the SYN with RST: nothing listens on that port.</summary>
    ConnectionRefused,
    /// <summary>The peer reset an established connection.</summary>
    ConnectionReset,
    /// <summary>The peer stopped acknowledging (user timeout) or never answered the SYN (connect timeout).</summary>
    TimedOut,
    /// <summary>The peer's address (or the gateway's) never answered ARP while the connection was being opened.</summary>
    HostUnreachable,
    /// <summary>This side aborted the connection.</summary>
    Aborted,
}

internal static class TcpErrorExtensions
{
    /// <summary>
    /// The <see cref="SocketError"/> an application sees for a connection that ended with <paramref name="error"/>:
    /// <see cref="SocketError.Shutdown"/> for one that is closed without an error (<paramref name="closed"/>), and
    /// <see cref="SocketError.Success"/> while it is still open.
    /// </summary>
    public static SocketError ToSocketError(this TcpError error, bool closed) => error switch
    {
        TcpError.ConnectionRefused => SocketError.ConnectionRefused,
        TcpError.ConnectionReset => SocketError.ConnectionReset,
        TcpError.TimedOut => SocketError.TimedOut,
        TcpError.HostUnreachable => SocketError.HostUnreachable,
        TcpError.Aborted => SocketError.OperationAborted,
        _ => closed ? SocketError.Shutdown : SocketError.Success,
    };
}
