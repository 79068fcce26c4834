using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Seqs.Benchmarks;

/// <summary>
/// Bytes processed per second, from the benchmark's <c>Length</c> parameter (bytes per operation) and its mean time.
/// Shown in GB/s (10^9 bytes per second), which is bytes per nanosecond.
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    public const string LengthParameter = "Length";

    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "Throughput";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Bytes processed per second: Length / Mean, in GB/s (10^9 B/s)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNanoseconds is not > 0 || benchmarkCase.Parameters[LengthParameter] is not int length)
            return "-";
        return (length / meanNanoseconds.Value).ToString("0.00 'GB/s'", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
