using System.Diagnostics;

namespace OutlookCalendarSync.Cli.SignIn;

/// <summary>Opens a URL in the user's browser, when there is one; the caller prints the URL either way.</summary>
internal static class Browser
{
    public static bool TryOpen(Uri url)
    {
        try
        {
            ProcessStartInfo start = OperatingSystem.IsWindows() ? new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true }
                : OperatingSystem.IsMacOS() ? new ProcessStartInfo("open", url.AbsoluteUri)
                : new ProcessStartInfo("xdg-open", url.AbsoluteUri);
            start.RedirectStandardError = !OperatingSystem.IsWindows();
            start.RedirectStandardOutput = !OperatingSystem.IsWindows();
            using Process? process = Process.Start(start);
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
