namespace Seqs.Drivers.Enc28j60;

/// <summary>
/// The duplex the MAC and PHY are forced to (DS39662E §9): the ENC28J60 has no auto-negotiation, so the link
/// partner must be set to match. Full duplex is faster and avoids the half-duplex errata (#9, #12, #13, #15).
/// </summary>
public enum DuplexMode
{
    Full,
    Half,
}
