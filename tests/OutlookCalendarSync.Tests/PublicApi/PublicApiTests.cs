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
    [InlineData("OutlookCalendarSync.AspNetCore")]
    public void PublicApi_HasNotChangedUnnoticed(string assemblyName)
    {
        string api = Assembly.Load(assemblyName).GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute"], DenyNamespacePrefixes = [] });
        string directory = Path.GetDirectoryName(ThisFile())!;
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

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
