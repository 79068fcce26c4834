using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>One datagram taken by <see cref="UdpSocket.ReceiveFromAsync(Memory{byte}, CancellationToken)"/>.</summary>
/// <param name="ReceivedBytes">Octets copied into the caller's buffer.</param>
/// <param name="RemoteEndPoint">The sender.</param>
/// <param name="Truncated">The datagram was longer than the buffer; the rest was discarded.</param>
/// <param name="LocalAddress">
/// The datagram's destination address (what IP_PKTINFO gives a kernel socket): this host's address, a broadcast
/// address or a multicast group. It tells a datagram that can only have come from the link (multicast, broadcast)
/// from one that may have been routed (RFC 6762 §11).
/// </param>
public readonly record struct UdpReceiveResult(int ReceivedBytes, Ipv4EndPoint RemoteEndPoint, bool Truncated, Ipv4Address LocalAddress);
