using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace OutlookCalendarSync.Model;

/// <summary>
/// Writes the ISO texts of <see cref="CalendarEventJson"/> (NodaTime's <see cref="InstantPattern.ExtendedIso"/>,
/// <see cref="OffsetDateTimePattern.ExtendedIso"/> and <see cref="LocalDatePattern.Iso"/>) straight into a JSON writer as UTF-8,
/// character for character as NodaTime writes them: a pattern's <c>Format</c> builds each text in a new StringBuilder and string,
/// several times per event written (about a tenth of what a first sync allocated).
/// </summary>
/// <remarks>
/// Only ISO-calendar values of years 1 to 9999 are written here; any other goes to NodaTime's pattern, so the text is always the
/// pattern's own. A test compares both over many values.
/// </remarks>
internal static class IsoText
{
    private const int MaxLength = 48;
    private static readonly InstantPattern InstantFormat = InstantPattern.ExtendedIso;
    private static readonly OffsetDateTimePattern OffsetDateTimeFormat = OffsetDateTimePattern.ExtendedIso;
    private static readonly LocalDatePattern DateFormat = LocalDatePattern.Iso;

    /// <summary>Writes <c>"name": "2026-01-02T03:04:05.5Z"</c> as <see cref="InstantPattern.ExtendedIso"/> formats the instant.</summary>
    public static void WriteInstant(Utf8JsonWriter writer, string name, Instant value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        int length = FormatInstant(value, text);
        if (length < 0)
        {
            writer.WriteString(name, InstantFormat.Format(value));
        }
        else
        {
            writer.WriteString(name, text[..length]);
        }
    }

    /// <summary>Writes <c>"name": "2026-01-02T03:04:05+01"</c> as <see cref="OffsetDateTimePattern.ExtendedIso"/> formats the value.</summary>
    public static void WriteOffsetDateTime(Utf8JsonWriter writer, string name, OffsetDateTime value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        int length = FormatOffsetDateTime(value, text);
        if (length < 0)
        {
            writer.WriteString(name, OffsetDateTimeFormat.Format(value));
        }
        else
        {
            writer.WriteString(name, text[..length]);
        }
    }

    /// <summary>Writes <c>"name": "2026-01-02"</c> as <see cref="LocalDatePattern.Iso"/> formats the date.</summary>
    public static void WriteDate(Utf8JsonWriter writer, string name, LocalDate value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        int length = FormatDate(value, text);
        if (length < 0)
        {
            writer.WriteString(name, DateFormat.Format(value));
        }
        else
        {
            writer.WriteString(name, text[..length]);
        }
    }

    /// <summary>Writes a date as an array element, as <see cref="WriteDate"/> writes a property.</summary>
    public static void WriteDateValue(Utf8JsonWriter writer, LocalDate value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        int length = FormatDate(value, text);
        if (length < 0)
        {
            writer.WriteStringValue(DateFormat.Format(value));
        }
        else
        {
            writer.WriteStringValue(text[..length]);
        }
    }

    /// <summary>The instant's text in <paramref name="destination"/>; its length, or -1 when NodaTime must write it.</summary>
    internal static int FormatInstant(Instant value, Span<byte> destination)
    {
        LocalDateTime utc = value.InUtc().LocalDateTime;
        if (!Supported(utc.Date))
        {
            return -1;
        }

        int length = WriteDateTime(utc, destination);
        destination[length++] = (byte)'Z';
        return length;
    }

    /// <summary>The value's text in <paramref name="destination"/>; its length, or -1 when NodaTime must write it.</summary>
    internal static int FormatOffsetDateTime(OffsetDateTime value, Span<byte> destination)
    {
        if (!Supported(value.Date))
        {
            return -1;
        }

        int length = WriteDateTime(value.LocalDateTime, destination);

        // The offset as the "G" pattern writes it: Z for zero, else +HH, +HH:mm or +HH:mm:ss, the shortest that is exact.
        int seconds = value.Offset.Seconds;
        if (seconds == 0)
        {
            destination[length++] = (byte)'Z';
            return length;
        }

        destination[length++] = seconds < 0 ? (byte)'-' : (byte)'+';
        seconds = Math.Abs(seconds);
        length = WriteDigits(destination, length, seconds / 3600, 2);
        int minutes = seconds / 60 % 60;
        int rest = seconds % 60;
        if (minutes != 0 || rest != 0)
        {
            destination[length++] = (byte)':';
            length = WriteDigits(destination, length, minutes, 2);
        }

        if (rest != 0)
        {
            destination[length++] = (byte)':';
            length = WriteDigits(destination, length, rest, 2);
        }

        return length;
    }

    /// <summary>The date's text in <paramref name="destination"/>; its length, or -1 when NodaTime must write it.</summary>
    internal static int FormatDate(LocalDate value, Span<byte> destination)
        => Supported(value) ? WriteIsoDate(value, destination, 0) : -1;

    private static bool Supported(LocalDate date) => date.Calendar == CalendarSystem.Iso && date.Year is >= 1 and <= 9999;

    private static int WriteIsoDate(LocalDate date, Span<byte> destination, int at)
    {
        at = WriteDigits(destination, at, date.Year, 4);
        destination[at++] = (byte)'-';
        at = WriteDigits(destination, at, date.Month, 2);
        destination[at++] = (byte)'-';
        return WriteDigits(destination, at, date.Day, 2);
    }

    /// <summary><c>uuuu-MM-ddTHH:mm:ss</c> and, when the time has a fraction, <c>.</c> and its digits without trailing zeros.</summary>
    private static int WriteDateTime(LocalDateTime value, Span<byte> destination)
    {
        int at = WriteIsoDate(value.Date, destination, 0);
        destination[at++] = (byte)'T';
        at = WriteDigits(destination, at, value.Hour, 2);
        destination[at++] = (byte)':';
        at = WriteDigits(destination, at, value.Minute, 2);
        destination[at++] = (byte)':';
        at = WriteDigits(destination, at, value.Second, 2);
        int nanoseconds = value.NanosecondOfSecond;
        if (nanoseconds != 0)
        {
            int digits = 9;
            while (nanoseconds % 10 == 0)
            {
                nanoseconds /= 10;
                digits--;
            }

            destination[at++] = (byte)'.';
            at = WriteDigits(destination, at, nanoseconds, digits);
        }

        return at;
    }

    private static int WriteDigits(Span<byte> destination, int at, int value, int digits)
    {
        for (int i = digits - 1; i >= 0; i--)
        {
            destination[at + i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        return at + digits;
    }
}
