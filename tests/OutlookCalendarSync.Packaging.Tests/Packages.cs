using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace OutlookCalendarSync.Packaging.Tests;

/// <summary>
/// The solution's packages, packed once from its build (<c>dotnet pack --no-build</c>, the configuration of these tests) into a
/// folder of their own.
/// </summary>
public sealed partial class Packages : IDisposable
{
    /// <summary>The libraries a host app references; each ships its XML docs for every target framework.</summary>
    public static readonly string[] Libraries =
        ["OutlookCalendarSync", "OutlookCalendarSync.Sqlite", "OutlookCalendarSync.PostgreSql", "OutlookCalendarSync.Testing", "OutlookCalendarSync.AspNetCore", "OutlookCalendarSync.Hangfire"];

    public static readonly string[] TargetFrameworks = ["net8.0", "net10.0"];

    public Packages()
    {
        SolutionDirectory = FindSolutionDirectory();
        Root = Directory.CreateTempSubdirectory("ocs-packaging-").FullName;
        Feed = Path.Combine(Root, "feed");
        string configuration = typeof(Packages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        DotNet.Run(SolutionDirectory, TimeSpan.FromMinutes(3), "pack", "OutlookCalendarSync.sln", "--no-build", "-c", configuration, "-o", Feed);
        Version = Directory.GetFiles(Feed, "OutlookCalendarSync.*.nupkg")
            .Select(file => CorePackage().Match(Path.GetFileName(file)))
            .Single(match => match.Success)
            .Groups["version"].Value;
    }

    public string SolutionDirectory { get; }

    /// <summary>A temporary folder for this run: the feed, and whatever the tests put beside it.</summary>
    public string Root { get; }

    public string Feed { get; }

    public string Version { get; }

    public string PathOf(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file of the consumer's; the temporary folder is the OS's to clean then.
        }
    }

    [GeneratedRegex(@"^OutlookCalendarSync\.(?<version>\d[^/]*)\.nupkg$")]
    private static partial Regex CorePackage();

    private static string FindSolutionDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OutlookCalendarSync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find OutlookCalendarSync.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>Runs the dotnet CLI that runs these tests, without the MSBuild settings <c>dotnet test</c> passes to its children.</summary>
internal static class DotNet
{
    public static string Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} took longer than {timeout}.");
        }

        string log = output.Result + error.Result;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{log}");
        return log;
    }
}
