using BenchmarkDotNet.Running;
using Seqs.Benchmarks.Tap;

// The TAP tools of build/throughput.sh and build/tls-bench.sh, or the BenchmarkDotNet suite.
return args.FirstOrDefault() switch
{
    "tap-pump" => TapFramePump.Run(args[1..]),
    "tap-stack" => TapStackHost.Run(args[1..]),
    "tls-stack" => TapTlsHost.Run(args[1..]),
    _ => RunSuite(args),
};

static int RunSuite(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
