namespace Seqs.Fuzz;

/// <summary>A fuzz target saw a state its code must never reach: a bound exceeded, counters that do not add up.</summary>
public sealed class InvariantViolation : Exception
{
    public InvariantViolation(string message)
        : base(message)
    {
    }

    public InvariantViolation()
    {
    }

    public InvariantViolation(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws when <paramref name="holds"/> is false; <paramref name="what"/> says what should have held.</summary>
    public static void Check(bool holds, string what)
    {
        if (!holds)
            throw new InvariantViolation(what);
    }
}
