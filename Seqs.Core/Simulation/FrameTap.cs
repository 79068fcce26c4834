namespace Seqs.Simulation;

/// <summary>
/// Observes a frame reaching a <see cref="VirtualNic"/> at virtual time <paramref name="time"/>, before the NIC's
/// receive queue: frames the NIC then drops (queue full, link down) are observed too. <paramref name="frame"/> is
/// valid only during the call.
/// </summary>
public delegate void FrameTap(TimeSpan time, VirtualNic receiver, ReadOnlySpan<byte> frame);
