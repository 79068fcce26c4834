namespace Seqs.Fuzz;

/// <summary>The fuzz targets by name, as the command line and the corpus folders name them.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new WireTarget(),
        new StackTarget(),
        new HttpRequestTarget(),
        new HttpResponseTarget(),
        new DhcpTarget(),
        new DnsTarget(),
        new MdnsTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
