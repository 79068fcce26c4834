namespace Seqs.Wire;

/// <summary>The TCP control bits in octet 13 of the header (RFC 9293 §3.1; ECE and CWR from RFC 3168 §6.1).</summary>
[Flags]
public enum TcpFlags : byte
{
    None = 0,
    Fin = 1,
    Syn = 2,
    Rst = 4,
    Psh = 8,
    Ack = 16,
    Urg = 32,
    Ece = 64,
    Cwr = 128,
}
