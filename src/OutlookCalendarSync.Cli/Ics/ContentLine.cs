using System.Text;

namespace OutlookCalendarSync.Cli.Ics;

/// <summary>
/// One unfolded iCalendar content line (RFC 5545 §3.1): <c>NAME;PARAM=value;...:VALUE</c>, with quoted parameter values, which
/// may hold <c>:</c>, <c>;</c> and <c>,</c> (Outlook's <c>TZID="(UTC+01:00) Amsterdam, Berlin, ..."</c>).
/// </summary>
internal sealed class ContentLine
{
    private readonly List<(string Name, string Value)> _parameters;

    private ContentLine(string name, List<(string Name, string Value)> parameters, string value)
    {
        Name = name;
        _parameters = parameters;
        Value = value;
    }

    /// <summary>The property name, upper case.</summary>
    public string Name { get; }

    /// <summary>The value after the first colon outside quotes, as written.</summary>
    public string Value { get; set; }

    /// <summary>Reads a line; null when it has no colon outside quotes, which is not a content line.</summary>
    /// <param name="line">The unfolded line, without its line break.</param>
    /// <returns>The line's parts, or null.</returns>
    public static ContentLine? Parse(string line)
    {
        int i = 0;
        while (i < line.Length && line[i] is not (';' or ':'))
        {
            i++;
        }

        if (i == 0 || i == line.Length)
        {
            return null;
        }

        string name = line[..i].Trim().ToUpperInvariant();
        var parameters = new List<(string Name, string Value)>();
        while (line[i] == ';')
        {
            int nameStart = ++i;
            while (i < line.Length && line[i] is not ('=' or ':' or ';'))
            {
                i++;
            }

            if (i == line.Length)
            {
                return null;
            }

            string parameterName = line[nameStart..i].Trim().ToUpperInvariant();
            var value = new StringBuilder();
            if (line[i] == '=')
            {
                i++;
                bool quoted = false;
                while (i < line.Length && (quoted || line[i] is not (';' or ':')))
                {
                    if (line[i] == '"')
                    {
                        quoted = !quoted;
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                if (i == line.Length)
                {
                    return null;
                }
            }

            parameters.Add((parameterName, value.ToString()));
        }

        return new ContentLine(name, parameters, line[(i + 1)..]);
    }

    /// <summary>A parameter's value without its quotes, or null when the line does not have it.</summary>
    /// <param name="name">The parameter name, upper case.</param>
    /// <returns>The value, or null.</returns>
    public string? Parameter(string name)
        => _parameters.FindIndex(p => p.Name == name) is var index and >= 0 ? _parameters[index].Value : null;

    /// <summary>Sets a parameter, replacing it if present; null removes it.</summary>
    /// <param name="name">The parameter name, upper case.</param>
    /// <param name="value">The value, unquoted; it is quoted when written if it holds <c>:</c>, <c>;</c> or <c>,</c>.</param>
    public void SetParameter(string name, string? value)
    {
        int index = _parameters.FindIndex(p => p.Name == name);
        if (value is null)
        {
            if (index >= 0)
            {
                _parameters.RemoveAt(index);
            }
        }
        else if (index >= 0)
        {
            _parameters[index] = (name, value);
        }
        else
        {
            _parameters.Add((name, value));
        }
    }

    /// <summary>The line as iCalendar text, unfolded.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(Name);
        foreach ((string name, string value) in _parameters)
        {
            text.Append(';').Append(name).Append('=');
            if (value.AsSpan().IndexOfAny(":;,") >= 0)
            {
                text.Append('"').Append(value).Append('"');
            }
            else
            {
                text.Append(value);
            }
        }

        return text.Append(':').Append(Value).ToString();
    }
}
