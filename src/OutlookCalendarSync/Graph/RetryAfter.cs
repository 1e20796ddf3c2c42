using System.Globalization;
using System.Net.Http.Headers;

namespace OutlookCalendarSync.Graph;

/// <summary>
/// Reads Graph's <c>Retry-After</c>: whole seconds, decimal seconds (<c>2.5</c>, which Graph sends and .NET's typed header and the
/// SDK's retry handler do not read) or an HTTP date.
/// </summary>
internal static class RetryAfter
{
    /// <summary>The delay a response asks for, or null when it gives none that can be read.</summary>
    /// <param name="headers">The response's headers.</param>
    /// <param name="now">The current time, for an HTTP date.</param>
    /// <returns>The delay, never negative.</returns>
    public static TimeSpan? Of(HttpResponseHeaders headers, DateTimeOffset now)
        => headers.NonValidated.TryGetValues("Retry-After", out HeaderStringValues values) ? Parse(values.ToString(), now) : null;

    /// <summary>The delay in a header collection as the SDK's exceptions carry it, or null when there is none.</summary>
    /// <param name="headers">The headers, by name (any case).</param>
    /// <param name="now">The current time, for an HTTP date.</param>
    /// <returns>The delay, never negative.</returns>
    public static TimeSpan? Of(IDictionary<string, IEnumerable<string>>? headers, DateTimeOffset now)
    {
        foreach ((string name, IEnumerable<string> values) in headers ?? new Dictionary<string, IEnumerable<string>>())
        {
            if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                return Parse(string.Join(",", values), now);
            }
        }

        return null;
    }

    /// <summary>Reads a <c>Retry-After</c> value.</summary>
    /// <param name="value">The value as sent.</param>
    /// <param name="now">The current time, for an HTTP date.</param>
    /// <returns>The delay, never negative, or null when the value cannot be read.</returns>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        string text = value?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) && double.IsFinite(seconds))
        {
            return seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out DateTimeOffset date)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date))
        {
            return date > now ? date - now : TimeSpan.Zero;
        }

        return null;
    }
}
