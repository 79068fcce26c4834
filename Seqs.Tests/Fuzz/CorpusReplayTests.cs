using Seqs.Fuzz;

namespace Seqs.Tests.Fuzz;

/// <summary>
/// Every input of every committed fuzz corpus (Seqs.Fuzz/Corpus/TARGET), replayed through the same target method
/// afl-fuzz drives, without instrumentation: an input that once found a crash or broke an invariant must not again.
/// </summary>
public sealed class CorpusReplayTests
{
    public static IEnumerable<TestCaseData> CorpusInputs()
    {
        string corpora = Path.Combine(RepositoryDirectory.Find(), "Seqs.Fuzz", "Corpus");
        foreach (IFuzzTarget target in FuzzTargets.All)
        {
            foreach (string file in Directory.GetFiles(Path.Combine(corpora, target.Name)).Order(StringComparer.Ordinal))
                yield return new TestCaseData(target.Name, Path.GetFileName(file)).SetName($"{target.Name}/{Path.GetFileName(file)}");
        }
    }

    [Test]
    public void EveryTarget_HasASeedCorpus()
    {
        string corpora = Path.Combine(RepositoryDirectory.Find(), "Seqs.Fuzz", "Corpus");
        Assert.That(FuzzTargets.All.Select(t => Directory.GetFiles(Path.Combine(corpora, t.Name)).Length), Is.All.Positive);
    }

    [TestCaseSource(nameof(CorpusInputs))]
    public void CorpusInput_RunsWithoutBreakingAnInvariant(string targetName, string file)
    {
        IFuzzTarget target = FuzzTargets.Find(targetName)!;
        byte[] input = File.ReadAllBytes(Path.Combine(RepositoryDirectory.Find(), "Seqs.Fuzz", "Corpus", targetName, file));
        Assert.DoesNotThrow(() => target.Run(input));
    }
}
