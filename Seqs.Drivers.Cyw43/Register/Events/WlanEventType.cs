namespace Seqs.Drivers.Cyw43.Register.Events;

/// <summary>
/// The firmware's event codes the driver acts on (embassy events.rs <c>Event</c>; docs/reference/cyw43439.md#events).
/// The numbers are the wl_event_msg <c>event_type</c> and the bit index in the event mask.
/// </summary>
public enum WlanEventType : uint
{
    SetSsid = 0,
    Join = 1,
    Auth = 3,
    DeauthIndication = 6,
    Assoc = 7,
    Disassoc = 11,
    DisassocIndication = 12,
    Link = 16,
    Prune = 23,
    PskSupplicant = 46,
    EscanResult = 69,
}
