using Seqs.Dhcp;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Dhcp;

/// <summary>
/// The DHCP server's lease writer in virtual time: changes within a second make one write of the newest table, one
/// write at a time and off the loop, and stopping writes what is pending. The file store's writes are whole.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class LeaseWriterTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly NetworkSimulation _simulation = new();
    private readonly NetLoop _loop;
    private readonly RecordingStore _store = new();
    private readonly List<Exception> _failures = [];
    private readonly LeaseWriter _writer;

    public LeaseWriterTests()
    {
        _loop = _simulation.CreateLoop();
        _writer = new LeaseWriter(_store, _loop, e =>
        {
            lock (_failures)
                _failures.Add(e);
        });
    }

    public void Dispose()
    {
        _store.Release();
        _writer.Dispose();
        _simulation.Dispose();
    }

    [Test]
    public void ChangesWithinTheDelay_AreWrittenOnce_AsTheNewestTable_OffTheLoop()
    {
        for (int i = 1; i <= 5; i++)
        {
            _writer.Submit(Table(i));
            _simulation.RunFor(TimeSpan.FromMilliseconds(100));
        }
        int beforeTheDelay = _store.Saved.Count;

        _simulation.RunFor(LeaseWriter.Delay);
        Assert.That(_writer.Writing.Wait(Patience), Is.True);

        Assert.That(beforeTheDelay, Is.Zero);
        Assert.That(_store.Saved, Has.Count.EqualTo(1));
        Assert.That(_store.Saved[0], Has.Count.EqualTo(5));
        Assert.That(_store.SaveThreads, Has.None.EqualTo(Environment.CurrentManagedThreadId));
    }

    [Test]
    public void ChangesDuringASlowWrite_WaitForIt_AndOnlyTheNewestIsWrittenNext()
    {
        _store.Block();
        _writer.Submit(Table(1));
        _simulation.RunFor(LeaseWriter.Delay);
        Assert.That(_store.Started.Wait(Patience), Is.True);

        _writer.Submit(Table(2));
        _writer.Submit(Table(3));
        _simulation.RunFor(LeaseWriter.Delay * 3);
        int whileBlocked = _store.Saved.Count;
        _store.Release();
        Assert.That(_writer.Writing.Wait(Patience), Is.True);
        _simulation.RunFor(LeaseWriter.Delay);
        Assert.That(_writer.Writing.Wait(Patience), Is.True);

        Assert.That(whileBlocked, Is.Zero);
        Assert.That(_store.Saved.Select(t => t.Count), Is.EqualTo(new[] { 1, 3 }));
        Assert.That(_store.MostAtOnce, Is.EqualTo(1));
    }

    [Test]
    public void Dispose_WritesWhatIsPending_WithoutWaitingForTheDelay()
    {
        _writer.Submit(Table(2));

        _writer.Dispose();

        Assert.That(_store.Saved.Select(t => t.Count), Is.EqualTo(new[] { 2 }));
        _writer.Submit(Table(3));
        _simulation.RunFor(LeaseWriter.Delay * 2);
        Assert.That(_store.Saved, Has.Count.EqualTo(1), "nothing is written after the writer stopped");
    }

    [Test]
    public void Dispose_WaitsForTheWriteInProgress_ThenWritesThePendingTable()
    {
        _store.Block();
        _writer.Submit(Table(1));
        _simulation.RunFor(LeaseWriter.Delay);
        Assert.That(_store.Started.Wait(Patience), Is.True);
        _writer.Submit(Table(4));

        Task stopping = Task.Run(_writer.Dispose);
        bool stoppedWhileBlocked = stopping.Wait(TimeSpan.FromMilliseconds(50));
        _store.Release();

        Assert.That(stopping.Wait(Patience), Is.True);
        Assert.That(stoppedWhileBlocked, Is.False);
        Assert.That(_store.Saved.Select(t => t.Count), Is.EqualTo(new[] { 1, 4 }));
        Assert.That(_store.MostAtOnce, Is.EqualTo(1));
    }

    [Test]
    public void FailedWrite_IsReported_AndTheNextChangeIsWritten()
    {
        _store.FailNext = true;
        _writer.Submit(Table(1));
        _simulation.RunFor(LeaseWriter.Delay);
        Assert.That(_writer.Writing.Wait(Patience), Is.True);
        _simulation.RunFor(LeaseWriter.Delay * 5);
        int retried = _store.Calls;

        _writer.Submit(Table(2));
        _simulation.RunFor(LeaseWriter.Delay);
        Assert.That(_writer.Writing.Wait(Patience), Is.True);

        Assert.That(_failures, Has.Count.EqualTo(1));
        Assert.That(retried, Is.EqualTo(1), "a failing store is not hammered on a timer");
        Assert.That(_store.Saved.Select(t => t.Count), Is.EqualTo(new[] { 2 }));
        Assert.That(_writer.Writes, Is.EqualTo(1));
    }

    [Test]
    public void FileStore_ReplacesTheFileWhole_AndAWriteCutShortLeavesTheOldFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"seqs-leasewriter-{Guid.NewGuid():N}.leases");
        try
        {
            var store = new FileLeaseStore(path);
            store.Save(Table(2));
            // What a crash in the middle of the next write leaves: a partial temporary file beside the old one.
            File.WriteAllText(path + ".tmp", "192.168.9.1 02:00:00:0");

            IReadOnlyList<DhcpLease> afterCrash = new FileLeaseStore(path).Load();
            store.Save(Table(3));

            Assert.That(afterCrash, Has.Count.EqualTo(2));
            Assert.That(new FileLeaseStore(path).Load(), Is.EqualTo(Table(3)));
            Assert.That(File.Exists(path + ".tmp"), Is.False);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".tmp");
        }
    }

    private static DhcpLease[] Table(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new DhcpLease(new Ipv4Address(192, 168, 9, (byte)(10 + i)), new MacAddress(0x02_00_00_00_09_00UL + (ulong)i),
            $"0102000000090{i}", DhcpLeaseState.Bound, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 + i))),
    ];

    /// <summary>Records each save and the thread it ran on; can hold a save until released, or fail one.</summary>
    private sealed class RecordingStore : ILeaseStore
    {
        private readonly ManualResetEventSlim _gate = new(true);
        private int _inside;

        public List<IReadOnlyList<DhcpLease>> Saved { get; } = [];

        public List<int> SaveThreads { get; } = [];

        public ManualResetEventSlim Started { get; } = new();

        public int MostAtOnce { get; private set; }

        public int Calls { get; private set; }

        public bool FailNext { get; set; }

        public void Block() => _gate.Reset();

        public void Release() => _gate.Set();

        public IReadOnlyList<DhcpLease> Load() => [];

        public void Save(IReadOnlyList<DhcpLease> leases)
        {
            int inside = Interlocked.Increment(ref _inside);
            lock (Saved)
            {
                MostAtOnce = Math.Max(MostAtOnce, inside);
                Calls++;
                SaveThreads.Add(Environment.CurrentManagedThreadId);
            }
            Started.Set();
            _gate.Wait();
            Interlocked.Decrement(ref _inside);
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("disk full");
            }
            lock (Saved)
                Saved.Add(leases);
        }
    }
}
