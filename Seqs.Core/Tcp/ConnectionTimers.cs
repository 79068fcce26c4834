namespace Seqs.Tcp;

/// <summary>
/// When a connection's timers are due: retransmission (RFC 6298 §5), persist (RFC 9293 §3.8.6.1, also the SWS
/// override timer of §3.8.6.2.1), the end of TIME-WAIT (2 MSL, RFC 9293 §3.10.7.4) and the FIN-WAIT-2 limit of an
/// orphaned connection (Linux's tcp_fin_timeout). The delayed ACK and keep-alive have their own state. A new
/// connection starts from <c>default</c>: none is set.
/// </summary>
internal struct ConnectionTimers
{
    public DueTime Retransmit;
    public DueTime Persist;
    public DueTime TimeWait;
    public DueTime FinWait2;
}
