using System.IO.Compression;
using System.Xml.Linq;

namespace OutlookCalendarSync.Packaging.Tests;

[Collection(PackagesDefinition.Name)]
public sealed class PackageContentsTests(Packages packages)
{
    public static TheoryData<string> Libraries => [.. Packages.Libraries];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Package_EachTargetFramework_HasTheAssemblyAndItsXmlDocs(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(packages.PathOf(id));
        string[] entries = [.. package.Entries.Select(e => e.FullName)];

        foreach (string framework in Packages.TargetFrameworks)
        {
            Assert.Contains($"lib/{framework}/{id}.dll", entries);
            Assert.Contains($"lib/{framework}/{id}.xml", entries);
            string docs = new StreamReader(package.GetEntry($"lib/{framework}/{id}.xml")!.Open()).ReadToEnd();
            Assert.Contains($"<name>{id}</name>", docs, StringComparison.Ordinal);
            Assert.Contains("<member name=\"T:", docs, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    [InlineData("OutlookCalendarSync.Cli")]
    public void Package_Metadata_HasLicenseRepositoryIconAndItsOwnReadme(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(packages.PathOf(id));
        XElement metadata = Nuspec(package);

        Assert.Equal("MIT", Value(metadata, "license"));
        Assert.Equal("https://github.com/outlookcalendarsync/OutlookCalendarSync", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value);
        Assert.NotNull(package.GetEntry(Value(metadata, "icon")));
        string readme = new StreamReader(package.GetEntry(Value(metadata, "readme"))!.Open()).ReadToEnd();
        Assert.Contains("https://github.com/outlookcalendarsync/OutlookCalendarSync/blob/main/docs/", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run --project", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("](docs/", readme, StringComparison.Ordinal);
    }

    private static XElement Nuspec(ZipArchive package)
    {
        using Stream stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
}

[CollectionDefinition(Name)]
public sealed class PackagesDefinition : ICollectionFixture<Packages>
{
    public const string Name = "Packages";
}
