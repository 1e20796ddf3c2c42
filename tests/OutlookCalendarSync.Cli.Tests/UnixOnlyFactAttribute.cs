namespace OutlookCalendarSync.Cli.Tests;

/// <summary>A test that sends POSIX signals (Ctrl+C is SIGINT), which Windows does not have.</summary>
public sealed class UnixOnlyFactAttribute : FactAttribute
{
    public UnixOnlyFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Sends SIGINT, a POSIX signal.";
        }
    }
}
