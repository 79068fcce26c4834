namespace Seqs.Device.Web;

/// <summary>The .NET process under the device, in <c>/api/stats</c>: what a soak test watches for growth.</summary>
public sealed class ProcessStats
{
    /// <summary>Bytes the managed heap holds now (<see cref="GC.GetTotalMemory(bool)"/>, without collecting).</summary>
    public long ManagedHeapBytes { get; set; }

    /// <summary>Bytes allocated since the start, all threads.</summary>
    public long AllocatedBytes { get; set; }

    public int Gen0Collections { get; set; }

    public int Gen1Collections { get; set; }

    public int Gen2Collections { get; set; }
}
