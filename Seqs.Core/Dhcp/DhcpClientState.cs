namespace Seqs.Dhcp;

/// <summary>The client states of RFC 2131 §4.4, Figure 5, plus the RFC 5227 address check and a stopped client.</summary>
public enum DhcpClientState
{
    /// <summary>Not started, or stopped (after a RELEASE when it held a lease).</summary>
    Stopped,

    /// <summary>INIT: waiting to send DHCPDISCOVER.</summary>
    Init,

    /// <summary>SELECTING: DHCPDISCOVER sent, waiting for the first acceptable DHCPOFFER.</summary>
    Selecting,

    /// <summary>REQUESTING: DHCPREQUEST sent for an offer, waiting for DHCPACK or DHCPNAK.</summary>
    Requesting,

    /// <summary>INIT-REBOOT: waiting to ask for the remembered address.</summary>
    InitReboot,

    /// <summary>REBOOTING: DHCPREQUEST sent for the remembered address.</summary>
    Rebooting,

    /// <summary>Acknowledged, probing the address with ARP before using it (RFC 2131 §4.4.1, RFC 5227 §2.1).</summary>
    Probing,

    /// <summary>BOUND: the address is configured; renewal starts at T1.</summary>
    Bound,

    /// <summary>RENEWING: past T1, DHCPREQUEST unicast to the server that gave the lease.</summary>
    Renewing,

    /// <summary>REBINDING: past T2, DHCPREQUEST broadcast to any server.</summary>
    Rebinding,
}
