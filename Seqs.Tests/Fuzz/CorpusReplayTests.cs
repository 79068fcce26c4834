using Seqs.Fuzz;

namespace Seqs.Tests.Fuzz;

/// <summary>
/// Every input of every committed fuzz corpus (Seqs.Fuzz/Corpus/TARGET), replayed through the same target method
/// afl-fuzz drives, without instrumentation: an input that once found a crash or broke an invariant must not again.
/// One test per target keeps the runner's overhead per input at nothing; a failure names each input that failed.
/// </summary>
public sealed class CorpusReplayTests
{
    private static string Corpus(string target) => Path.Combine(RepositoryDirectory.Find(), "Seqs.Fuzz", "Corpus", target);

    public static IEnumerable<TestCaseData> Targets() => FuzzTargets.All.Select(t => new TestCaseData(t.Name).SetName($"Corpus_{t.Name}"));

    [Test]
    public void EveryTarget_HasASeedCorpus()
    {
        Assert.That(FuzzTargets.All.Select(t => Directory.GetFiles(Corpus(t.Name)).Length), Is.All.Positive);
    }

    [TestCaseSource(nameof(Targets))]
    public void EveryCorpusInput_RunsWithoutBreakingAnInvariant(string targetName)
    {
        IFuzzTarget target = FuzzTargets.Find(targetName)!;
        var failures = new List<string>();
        foreach (string file in Directory.GetFiles(Corpus(targetName)).Order(StringComparer.Ordinal))
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetFileName(file)}: {e}");
            }
        }
        Assert.That(failures, Is.Empty);
    }
}
