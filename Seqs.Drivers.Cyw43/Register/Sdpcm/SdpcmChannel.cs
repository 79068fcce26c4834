namespace Seqs.Drivers.Cyw43.Register.Sdpcm;

/// <summary>The SDPCM channel: the low nibble of the channel/flags byte (reference §3; embassy consts.rs CHANNEL_TYPE_*).</summary>
public enum SdpcmChannel
{
    Control = 0,
    Event = 1,
    Data = 2,
}
