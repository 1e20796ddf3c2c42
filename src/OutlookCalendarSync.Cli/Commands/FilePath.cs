using System.CommandLine.Parsing;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary>
/// Parses a file argument with an error in words: System.CommandLine's own error names the .NET type it expected
/// (<c>System.IO.FileInfo</c>), which tells the user nothing.
/// </summary>
internal static class FilePath
{
    /// <summary>The file, or null with a parse error (a usage error) when the argument is not a file path.</summary>
    public static FileInfo? Parse(ArgumentResult result)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (!string.IsNullOrWhiteSpace(token))
        {
            try
            {
                return new FileInfo(token);
            }
            catch (Exception error) when (error is ArgumentException or NotSupportedException or PathTooLongException)
            {
                result.AddError($"'{token}' is not a file path ({error.Message.TrimEnd('.')}).");
                return null;
            }
        }

        result.AddError($"The {result.Argument.Name} argument needs the path of a file, such as calendar.ics.");
        return null;
    }
}
