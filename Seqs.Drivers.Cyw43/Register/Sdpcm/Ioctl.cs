namespace Seqs.Drivers.Cyw43.Register.Sdpcm;

/// <summary>
/// The ioctl numbers the driver uses (embassy consts.rs <c>Ioctl</c>; GET_RSSI from georgerobotics cyw43_ll.h;
/// docs/reference/cyw43439.md#ioctl-numbers).
/// </summary>
public enum Ioctl : uint
{
    Up = 2,
    SetInfra = 20,
    SetAuth = 22,
    SetSsid = 26,
    Disassociate = 52,
    SetAntennaDiversity = 64,
    SetGMode = 110,
    GetRssi = 127,
    SetWsec = 134,
    SetBand = 142,
    SetWpaAuth = 165,
    GetVar = 262,
    SetVar = 263,
    SetWsecPmk = 268,
}
