namespace Seqs.Fuzz;

/// <summary>
/// One fuzz target: code under test driven by an input, with its invariants checked inside. A run that breaks an
/// invariant throws <see cref="InvariantViolation"/>; any exception that leaves <see cref="Run"/> is a finding.
/// The same method serves afl-fuzz (through SharpFuzz) and the corpus replay tests (called directly).
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name on the command line and the folder of its corpus (Corpus/NAME).</summary>
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);
}
