namespace Seqs.Tests.Support;

/// <summary>The configuration (Debug, Release) the test assembly, and so the solution, was built in.</summary>
internal static class BuildConfiguration
{
    // bin/<configuration>/<framework>/ of the test assembly names it.
    public static string Name { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
}
