namespace Seqs.Drivers.Cyw43.Register.Sdpcm;

/// <summary>
/// The SDPCM channel: the low nibble of the channel/flags byte (embassy consts.rs CHANNEL_TYPE_*;
/// docs/reference/cyw43439.md#sdpcm-header).
/// </summary>
public enum SdpcmChannel
{
    Control = 0,
    Event = 1,
    Data = 2,
}
