namespace Seqs.Wire;

/// <summary>The NTP association mode (RFC 5905 §7.3, Figure 10).</summary>
public enum NtpMode : byte
{
    Reserved = 0,
    SymmetricActive = 1,
    SymmetricPassive = 2,
    Client = 3,
    Server = 4,
    Broadcast = 5,
    Control = 6,
    Private = 7,
}
