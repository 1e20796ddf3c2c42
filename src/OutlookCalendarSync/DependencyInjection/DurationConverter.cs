using System.ComponentModel;
using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace OutlookCalendarSync.DependencyInjection;

/// <summary>
/// Reads a NodaTime <see cref="Duration"/> from configuration as .NET developers write durations: a TimeSpan
/// (<c>"30.00:00:00"</c>, <c>"00:10:00"</c>), or NodaTime's round-trip pattern (<c>"30:00:00:00"</c>), which NodaTime's own
/// converter requires alone.
/// </summary>
/// <remarks>
/// The configuration binder converts strings through <see cref="TypeDescriptor.GetConverter(Type)"/>, so this converter is
/// registered for <see cref="Duration"/> process-wide, once, by <c>AddOutlookCalendarSync</c>.
/// </remarks>
internal sealed class DurationConverter : TypeConverter
{
    private static readonly Lazy<bool> Registration = new(() =>
    {
        TypeDescriptor.AddAttributes(typeof(Duration), new TypeConverterAttribute(typeof(DurationConverter)));
        return true;
    });

    public static void Register() => _ = Registration.Value;

    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || sourceType == typeof(TimeSpan) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => value switch
    {
        string text => Parse(text.Trim()),
        TimeSpan span => Duration.FromTimeSpan(span),
        _ => base.ConvertFrom(context, culture, value),
    };

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is Duration duration && destinationType == typeof(string)
            ? DurationPattern.Roundtrip.Format(duration)
            : base.ConvertTo(context, culture, value, destinationType);

    private static Duration Parse(string text)
    {
        if (TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out TimeSpan span))
        {
            return Duration.FromTimeSpan(span);
        }

        ParseResult<Duration> roundtrip = DurationPattern.Roundtrip.Parse(text);
        return roundtrip.Success
            ? roundtrip.Value
            : throw new FormatException(
                $"'{text}' is not a duration. Write it as a TimeSpan, [-][d.]hh:mm:ss[.fffffff] (\"30.00:00:00\" is 30 days, " +
                $"\"00:10:00\" 10 minutes), or in NodaTime's round-trip pattern, -D:hh:mm:ss.FFFFFFFFF (\"30:00:00:00\").");
    }
}
