using System.CommandLine.Parsing;
using System.Globalization;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary>
/// Parses a whole-number option with an error in words: System.CommandLine's own error names the .NET type it expected
/// (<c>System.Nullable`1[System.Int32]</c>), which tells the user nothing.
/// </summary>
internal static class WholeNumber
{
    /// <summary>The value of the option, or null with a parse error (a usage error) when it is not a number in the range.</summary>
    public static int? InRange(ArgumentResult result, int minimum, int maximum, string meaning)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= maximum)
        {
            return value;
        }

        string name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        result.AddError($"{name} takes {meaning}: a whole number from {minimum} to {maximum}, and '{token}' is not one.");
        return null;
    }
}
