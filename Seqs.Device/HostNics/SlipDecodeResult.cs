namespace Seqs.Device.HostNics;

/// <summary>What one byte fed to a <see cref="SlipFrameDecoder"/> completed.</summary>
public enum SlipDecodeResult
{
    /// <summary>Nothing yet: the byte was inside a frame, or an END with nothing before it.</summary>
    NeedMoreBytes,

    /// <summary>An END closed a frame whose CRC-32 matched; <see cref="SlipFrameDecoder.Frame"/> holds it.</summary>
    Frame,

    /// <summary>An END closed bytes whose CRC-32 did not match, or too few to hold one: line noise or a corrupted frame, dropped.</summary>
    CrcMismatch,

    /// <summary>An END closed a frame longer than the decoder's maximum, dropped.</summary>
    TooLong,
}
