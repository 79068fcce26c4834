using Seqs.Wire;

namespace Seqs.Tests.Dhcp;

/// <summary>Adds options to a message being built; by reference, so that the writer's length moves on.</summary>
internal delegate void DhcpOptionsWriter(ref DhcpMessageWriter writer);
