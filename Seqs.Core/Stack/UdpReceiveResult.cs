using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>One datagram taken by <see cref="UdpSocket.ReceiveFromAsync(Memory{byte}, CancellationToken)"/>.</summary>
/// <param name="ReceivedBytes">Octets copied into the caller's buffer.</param>
/// <param name="RemoteEndPoint">The sender.</param>
/// <param name="Truncated">The datagram was longer than the buffer; the rest was discarded.</param>
public readonly record struct UdpReceiveResult(int ReceivedBytes, Ipv4EndPoint RemoteEndPoint, bool Truncated);
