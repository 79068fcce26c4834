namespace Seqs.Tests.Support;

/// <summary>The checkout the tests were built from, found by walking up from the test assembly to Seqs.sln.</summary>
internal static class RepositoryDirectory
{
    public static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Seqs.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Seqs.sln not found above " + AppContext.BaseDirectory);
    }
}
