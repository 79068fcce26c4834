using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>The outcome of one <see cref="NetStack.PingAsync"/>.</summary>
/// <param name="Status">Whether an echo reply came back, and if not why.</param>
/// <param name="Address">The host that answered: the destination, or the router that reported an error.</param>
/// <param name="RoundTripTime">Time from sending the request to the reply, in loop time.</param>
/// <param name="DataLength">Octets of echo data in the reply.</param>
public readonly record struct PingReply(PingStatus Status, Ipv4Address Address, TimeSpan RoundTripTime, int DataLength);
