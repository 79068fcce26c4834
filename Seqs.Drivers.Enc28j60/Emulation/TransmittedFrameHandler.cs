namespace Seqs.Drivers.Enc28j60.Emulation;

/// <summary>Receives a frame the emulated chip transmitted, without its FCS; the span is valid during the call only.</summary>
public delegate void TransmittedFrameHandler(ReadOnlySpan<byte> frame);
