using System.Reflection;
using System.Runtime.CompilerServices;

namespace OutlookCalendarSync.Tests.PublicApi;

/// <summary>
/// No shipped package sees another's internals: a host may upgrade one package alone, and a call into an internal of another
/// package would then fail at run time. Internals are shared with test and benchmark assemblies only. The public surface
/// itself is enforced by the build (PublicAPI.*.txt, see CONTRIBUTING.md).
/// </summary>
public sealed class PackageBoundaryTests
{
    private static readonly string[] ShippedPackages =
    [
        "OutlookCalendarSync",
        "OutlookCalendarSync.Testing",
        "OutlookCalendarSync.Sqlite",
        "OutlookCalendarSync.PostgreSql",
        "OutlookCalendarSync.AspNetCore",
        "OutlookCalendarSync.Hangfire",
        "OutlookCalendarSync.Specification.Tests",
    ];

    public static TheoryData<string> Packages => [.. ShippedPackages];

    [Theory]
    [MemberData(nameof(Packages))]
    public void InternalsVisibleTo_ShippedPackage_OnlyTestsAndBenchmarks(string assemblyName)
    {
        string[] friends = [.. Assembly.Load(assemblyName).GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];

        Assert.All(friends, friend =>
        {
            Assert.DoesNotContain(friend, ShippedPackages);
            Assert.True(
                friend.EndsWith(".Tests", StringComparison.Ordinal) || friend == "OutlookCalendarSync.Benchmarks",
                $"{assemblyName} shows its internals to {friend}, which is neither a test assembly nor the benchmarks.");
        });
    }

    [Fact]
    public void InternalsVisibleTo_EveryShippedPackage_IsLoadedByThisTest()
    {
        // The theory above is only as good as its list: every package project under src/ except the tool must be in it.
        string src = Path.Combine(SolutionDirectory(), "src");
        string[] packages = [.. Directory.GetDirectories(src).Select(Path.GetFileName).OfType<string>().Where(n => n != "OutlookCalendarSync.Cli").Order(StringComparer.Ordinal)];

        Assert.Equal(packages, ShippedPackages.Order(StringComparer.Ordinal));
    }

    private static string SolutionDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OutlookCalendarSync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the solution folder above {AppContext.BaseDirectory}.");
    }
}
