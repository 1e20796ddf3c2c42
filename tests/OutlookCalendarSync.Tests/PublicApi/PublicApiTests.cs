using System.Reflection;
using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace OutlookCalendarSync.Tests.PublicApi;

/// <summary>
/// The public API is tracked in *.approved.txt beside this file: a change to the surface is a visible diff. When a change is
/// intended, copy the *.received.txt this test writes over the approved file.
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("OutlookCalendarSync")]
    [InlineData("OutlookCalendarSync.Testing")]
    [InlineData("OutlookCalendarSync.Sqlite")]
    [InlineData("OutlookCalendarSync.PostgreSql")]
    [InlineData("OutlookCalendarSync.AspNetCore")]
    [InlineData("OutlookCalendarSync.Hangfire")]
    [InlineData("OutlookCalendarSync.Specification.Tests")]
    public void PublicApi_HasNotChangedUnnoticed(string assemblyName)
    {
        string api = Assembly.Load(assemblyName).GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute"], DenyNamespacePrefixes = [] });
        string directory = SourceDirectory();
        string approvedPath = Path.Combine(directory, $"{assemblyName}.approved.txt");
        string receivedPath = Path.Combine(directory, $"{assemblyName}.received.txt");
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : string.Empty;

        if (Normalize(approved) != Normalize(api))
        {
            File.WriteAllText(receivedPath, api);
            Assert.Fail($"The public API of {assemblyName} changed. Review {receivedPath} and, if the change is intended, copy it over {approvedPath}.");
        }

        File.Delete(receivedPath);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    /// <summary>
    /// The folder of this file: its compile-time path when it exists (a local build), otherwise found from the test binaries by
    /// walking up to the solution (a CI build may map source paths to <c>/_/</c>).
    /// </summary>
    private static string SourceDirectory([CallerFilePath] string path = "")
    {
        string? compiled = Path.GetDirectoryName(path);
        if (compiled is not null && Directory.Exists(compiled))
        {
            return compiled;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OutlookCalendarSync.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "OutlookCalendarSync.Tests", "PublicApi");
            }
        }

        throw new InvalidOperationException($"Cannot find the solution folder above {AppContext.BaseDirectory}.");
    }
}
