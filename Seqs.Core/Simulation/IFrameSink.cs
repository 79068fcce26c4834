namespace Seqs.Simulation;

/// <summary>Where a <see cref="LinkChannel"/> delivers: a NIC or a switch port. <c>frame</c> is valid only during the call.</summary>
internal interface IFrameSink
{
    void Accept(ReadOnlySpan<byte> frame);
}
