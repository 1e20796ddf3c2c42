using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Model;

/// <summary>The description of an event, as text or HTML.</summary>
/// <param name="Content">The body's content; never null.</param>
/// <param name="ContentType">Whether <paramref name="Content"/> is text or HTML.</param>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record EventBody(string Content, BodyContentType ContentType = BodyContentType.Text)
{
    /// <summary>The body's content; never null.</summary>
    public string Content { get; init; } = Guard.NotNull(Content);

    /// <summary>Creates a plain-text body.</summary>
    /// <param name="content">The text.</param>
    /// <returns>The body.</returns>
    public static EventBody Text(string content) => new(content, BodyContentType.Text);

    /// <summary>Creates an HTML body.</summary>
    /// <param name="content">The HTML.</param>
    /// <returns>The body.</returns>
    public static EventBody Html(string content) => new(content, BodyContentType.Html);
}
