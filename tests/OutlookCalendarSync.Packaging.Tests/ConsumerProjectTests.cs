using System.Text.Json;

namespace OutlookCalendarSync.Packaging.Tests;

/// <summary>
/// A host project outside the repository that references the packed packages, as an app would, and builds for .NET 8 and
/// .NET 10 with warnings as errors (NU1603 included): the README's quick start and a host's wiring compile against them.
/// </summary>
[Collection(PackagesDefinition.Name)]
public sealed class ConsumerProjectTests(Packages packages)
{
    [Fact]
    public void ConsumerProject_FromThePackages_RestoresExactlyAndBuildsWithWarningsAsErrors()
    {
        string project = Path.Combine(packages.Root, "consumer");
        string restored = Path.Combine(packages.Root, "packages");
        Directory.CreateDirectory(project);
        File.Copy(Path.Combine(packages.SolutionDirectory, "tests", "OutlookCalendarSync.Cli.Tests", "Readme", "QuickStart.cs"), Path.Combine(project, "QuickStart.cs"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", "HostWiring.cs"), Path.Combine(project, "HostWiring.cs"));
        // Keeps the consumer out of any Directory.Build.* or central package management above the temporary folder.
        foreach (string name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(project, name), "<Project />");
        }

        File.WriteAllText(Path.Combine(project, "NuGet.config"), NuGetConfig(packages.Feed));
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), ConsumerProject(packages.Version, restored));

        string log = DotNet.Run(project, TimeSpan.FromMinutes(4), "build", "Consumer.csproj", "-warnaserror", "-nodeReuse:false");

        Assert.DoesNotContain("NU1603", log, StringComparison.Ordinal);
        using JsonDocument assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")));
        // Restore records its warnings (NU1603 among them) under "logs", and leaves it out when there are none.
        Assert.False(assets.RootElement.TryGetProperty("logs", out JsonElement logs) && logs.GetArrayLength() > 0, $"Restore warned: {logs}");
        foreach (string id in Packages.Libraries)
        {
            foreach (string framework in Packages.TargetFrameworks)
            {
                string docs = Path.Combine(restored, id.ToLowerInvariant(), packages.Version, "lib", framework, $"{id}.xml");
                Assert.True(File.Exists(docs), $"{docs} is missing: IntelliSense would show no documentation.");
            }
        }

        foreach (string framework in Packages.TargetFrameworks)
        {
            Assert.True(File.Exists(Path.Combine(project, "bin", "Debug", framework, "Consumer.dll")), $"The consumer was not built for {framework}.");
        }
    }

    private static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="packed" value="{feed}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="packed">
              <package pattern="OutlookCalendarSync" />
              <package pattern="OutlookCalendarSync.*" />
            </packageSource>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    /// <summary>
    /// Restores into a folder of this run (so a package packed before is never reused), falling back to the machine's packages
    /// folder for the dependencies the solution's restore already downloaded.
    /// </summary>
    private static string ConsumerProject(string version, string restored)
    {
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <MSBuildTreatWarningsAsErrors>true</MSBuildTreatWarningsAsErrors>
                <WarningsAsErrors>$(WarningsAsErrors);NU1603</WarningsAsErrors>
                <RestorePackagesPath>{restored}</RestorePackagesPath>
                <RestoreAdditionalProjectFallbackFolders>{globalPackages}</RestoreAdditionalProjectFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="OutlookCalendarSync" Version="{version}" />
                <PackageReference Include="OutlookCalendarSync.Sqlite" Version="{version}" />
                <PackageReference Include="OutlookCalendarSync.PostgreSql" Version="{version}" />
                <PackageReference Include="OutlookCalendarSync.AspNetCore" Version="{version}" />
                <PackageReference Include="OutlookCalendarSync.Hangfire" Version="{version}" />
                <PackageReference Include="OutlookCalendarSync.Testing" Version="{version}" />
              </ItemGroup>
            </Project>
            """;
    }
}
