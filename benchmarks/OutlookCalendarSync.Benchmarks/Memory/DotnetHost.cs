using System.Diagnostics;

namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>Starts .NET assemblies as child processes with the <c>dotnet</c> host that runs this process.</summary>
internal static class DotnetHost
{
    /// <summary>Describes <c>dotnet &lt;assembly&gt; &lt;arguments&gt;</c>; the child inherits this process's environment (GC settings too).</summary>
    /// <param name="assemblyPath">The assembly to run.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The start info, with nothing redirected.</returns>
    public static ProcessStartInfo StartInfo(string assemblyPath, params string[] arguments)
    {
        // Under 'dotnet run' this process is the app host; the dotnet on PATH is the one that built it.
        string host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        start.ArgumentList.Add(assemblyPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
