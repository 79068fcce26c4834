using BenchmarkDotNet.Attributes;

namespace Seqs.Benchmarks;

/// <summary>Adds a <see cref="ThroughputColumn"/> to a benchmark class that has an <c>int Length</c> parameter in bytes.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly)]
public sealed class ThroughputColumnAttribute : ColumnConfigBaseAttribute
{
    public ThroughputColumnAttribute()
        : base(new ThroughputColumn())
    {
    }
}
