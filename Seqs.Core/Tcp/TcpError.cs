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
