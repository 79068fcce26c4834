using System.IO.Compression;

namespace Seqs.Tests.Packaging;

/// <summary>
/// <c>dotnet pack</c> of the solution, on the assemblies the test run was built with (<c>--no-build</c>, so it takes
/// seconds): the packages a driver author consumes, with their README, the MIT licence, both target frameworks and a
/// symbol package.
/// </summary>
[TestFixture]
public sealed class PackageTests
{
    private static readonly string[] PackedProjects = ["Seqs.Core", "Seqs.Drivers.Enc28j60", "Seqs.Drivers.Cyw43", "Seqs.Tls"];

    /// <summary>Seqs.Tls is for .NET 10 only (SslStream over a Stream); the stack and the drivers run on Meadow too.</summary>
    private static string[] TargetFrameworks(string project) => project == "Seqs.Tls" ? ["net10.0"] : ["netstandard2.1", "net10.0"];

    private string _output = "";

    [OneTimeSetUp]
    public void Pack()
    {
        _output = Directory.CreateTempSubdirectory("seqs-pack-").FullName;
        CommandResult pack = HostCommand.Run("dotnet",
            ["pack", Path.Combine(RepositoryDirectory.Find(), "Seqs.sln"), "--no-build", "-c", BuildConfiguration.Name, "-o", _output, "-p:Version=0.0.0-test"],
            TimeSpan.FromMinutes(2));
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
    }

    [OneTimeTearDown]
    public void DeleteOutput() => Directory.Delete(_output, recursive: true);

    [Test]
    public void Pack_MakesOnlyTheLibraryPackages()
    {
        string[] packages = Directory.GetFiles(_output, "*.nupkg").Select(Path.GetFileName).ToArray()!;
        Assert.That(packages, Is.EquivalentTo(PackedProjects.Select(p => $"{p}.0.0.0-test.nupkg")));
    }

    [TestCaseSource(nameof(PackedProjects))]
    public void Package_HoldsItsReadmeLicenceAndTheAssemblyForEachTargetFramework(string project)
    {
        using ZipArchive package = ZipFile.OpenRead(Path.Combine(_output, $"{project}.0.0.0-test.nupkg"));
        string[] entries = package.Entries.Select(e => e.FullName).ToArray();
        Assert.That(entries, Does.Contain("README.md"));
        foreach (string framework in TargetFrameworks(project))
            Assert.That(entries, Does.Contain($"lib/{framework}/{project}.dll"));
        using var nuspec = new StreamReader(package.GetEntry($"{project}.nuspec")!.Open());
        string manifest = nuspec.ReadToEnd();
        Assert.That(manifest, Does.Contain("<readme>README.md</readme>"));
        Assert.That(manifest, Does.Contain("<license type=\"expression\">MIT</license>"));
        // Source link's git half: the commit the package was built from (the URL follows once origin is set).
        Assert.That(manifest, Does.Match("<repository type=\"git\"[^>]* commit=\"[0-9a-f]{40}\""));
    }

    [TestCaseSource(nameof(PackedProjects))]
    public void SymbolPackage_HoldsThePortablePdbForEachTargetFramework(string project)
    {
        using ZipArchive symbols = ZipFile.OpenRead(Path.Combine(_output, $"{project}.0.0.0-test.snupkg"));
        string[] entries = symbols.Entries.Select(e => e.FullName).ToArray();
        foreach (string framework in TargetFrameworks(project))
            Assert.That(entries, Does.Contain($"lib/{framework}/{project}.pdb"));
    }
}
