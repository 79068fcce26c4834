using BenchmarkDotNet.Attributes;
using Seqs.Wire;

namespace Seqs.Benchmarks;

/// <summary>The internet checksum over a full 1500-byte IPv4 packet and a 64-byte one, against a plain word loop.</summary>
[MemoryDiagnoser]
[ThroughputColumn]
public class ChecksumBenchmarks // not sealed: BenchmarkDotNet's generated runner derives from it
{
    private byte[] _data = [];

    [Params(64, 1500)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Length];
        new Random(1071).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]
    public ushort ScalarWordLoop()
    {
        byte[] data = _data;
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length)
            sum += (uint)data[i] << 8;
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    [Benchmark]
    public ushort Compute() => InternetChecksum.Compute(_data);

    [Benchmark]
    public ushort ScalarFallback() => InternetChecksum.Finish(InternetChecksum.AccumulateScalar(_data));
}
