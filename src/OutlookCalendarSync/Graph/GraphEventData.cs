using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Graph;

/// <summary>
/// The fields of a Graph event that <see cref="GraphEventMapper"/> reads, in plain fields: what a delta page is read into without
/// building the SDK's models (<see cref="GraphDeltaPageReader"/>), and what an SDK model is copied into (<see cref="From"/>) so that
/// both are mapped by the same rules.
/// </summary>
/// <remarks>
/// Each field holds what the SDK's model would hold after parsing the same JSON (null where the model's property would be null): an
/// object Graph sent is a non-null <see cref="GraphTime"/> / <see cref="GraphAddress"/> even when its own fields are null.
/// </remarks>
internal sealed class GraphEventData
{
    public string? Id { get; set; }

    public string? ChangeKey { get; set; }

    public string? ICalUId { get; set; }

    public string? Subject { get; set; }

    public G.EventType? Type { get; set; }

    public string? SeriesMasterId { get; set; }

    public DateTimeOffset? OriginalStart { get; set; }

    public DateTimeOffset? LastModifiedDateTime { get; set; }

    /// <summary><c>body.content</c>.</summary>
    public string? BodyContent { get; set; }

    /// <summary><c>body.contentType</c>.</summary>
    public G.BodyType? BodyContentType { get; set; }

    public GraphTime? Start { get; set; }

    public GraphTime? End { get; set; }

    public string? OriginalStartTimeZone { get; set; }

    public string? OriginalEndTimeZone { get; set; }

    public bool? IsAllDay { get; set; }

    /// <summary><c>location.displayName</c>.</summary>
    public string? LocationDisplayName { get; set; }

    /// <summary><c>onlineMeeting.joinUrl</c>.</summary>
    public string? OnlineMeetingJoinUrl { get; set; }

    public string? OnlineMeetingUrl { get; set; }

    public List<GraphAttendee>? Attendees { get; set; }

    public bool? IsOrganizer { get; set; }

    /// <summary><c>organizer.emailAddress</c>.</summary>
    public GraphAddress? OrganizerAddress { get; set; }

    public G.FreeBusyStatus? ShowAs { get; set; }

    public G.Sensitivity? Sensitivity { get; set; }

    public bool? IsReminderOn { get; set; }

    public int? ReminderMinutesBeforeStart { get; set; }

    public IReadOnlyList<string?>? Categories { get; set; }

    public bool? IsCancelled { get; set; }

    /// <summary><c>responseStatus.response</c>: the owner's answer to an invitation.</summary>
    public G.ResponseType? MyResponse { get; set; }

    /// <summary>The series' pattern and range; only from an SDK model (a delta page's item with a recurrence is read by the SDK).</summary>
    public G.PatternedRecurrence? Recurrence { get; set; }

    /// <summary>The library's stamps, null when they were not read (a delta page carries none).</summary>
    public List<G.SingleValueLegacyExtendedProperty>? SingleValueExtendedProperties { get; private set; }

    /// <summary>Whether the item is a delta page's <c>@removed</c> entry.</summary>
    public bool IsRemoved { get; set; }

    /// <summary>The SDK's model this was copied from, when there is one (series masters, exceptions, items read by the SDK).</summary>
    public G.Event? Model { get; private set; }

    /// <summary>Copies the fields the mapper reads from an SDK model (which stays attached as <see cref="Model"/>).</summary>
    public static GraphEventData From(G.Event source) => new()
    {
        Model = source,
        Id = source.Id,
        ChangeKey = source.ChangeKey,
        ICalUId = source.ICalUId,
        Subject = source.Subject,
        Type = source.Type,
        SeriesMasterId = source.SeriesMasterId,
        OriginalStart = source.OriginalStart,
        LastModifiedDateTime = source.LastModifiedDateTime,
        BodyContent = source.Body?.Content,
        BodyContentType = source.Body?.ContentType,
        Start = source.Start is { } start ? new GraphTime(start.DateTime, start.TimeZone) : null,
        End = source.End is { } end ? new GraphTime(end.DateTime, end.TimeZone) : null,
        OriginalStartTimeZone = source.OriginalStartTimeZone,
        OriginalEndTimeZone = source.OriginalEndTimeZone,
        IsAllDay = source.IsAllDay,
        LocationDisplayName = source.Location?.DisplayName,
        OnlineMeetingJoinUrl = source.OnlineMeeting?.JoinUrl,
        OnlineMeetingUrl = source.OnlineMeetingUrl,
        Attendees = source.Attendees?.Select(a => new GraphAttendee(
            a.EmailAddress is { } address ? new GraphAddress(address.Address, address.Name) : null,
            a.Type,
            a.Status?.Response)).ToList(),
        IsOrganizer = source.IsOrganizer,
        OrganizerAddress = source.Organizer?.EmailAddress is { } organizer ? new GraphAddress(organizer.Address, organizer.Name) : null,
        ShowAs = source.ShowAs,
        Sensitivity = source.Sensitivity,
        IsReminderOn = source.IsReminderOn,
        ReminderMinutesBeforeStart = source.ReminderMinutesBeforeStart,
        Categories = source.Categories,
        IsCancelled = source.IsCancelled,
        MyResponse = source.ResponseStatus?.Response,
        Recurrence = source.Recurrence,
        SingleValueExtendedProperties = source.SingleValueExtendedProperties,
        IsRemoved = source.AdditionalData?.ContainsKey("@removed") == true,
    };

    /// <summary>Gives the event its stamps (and the SDK model it came from, which the series code reads).</summary>
    public void SetStamps(List<G.SingleValueLegacyExtendedProperty> stamps)
    {
        SingleValueExtendedProperties = stamps;
        if (Model is not null)
        {
            Model.SingleValueExtendedProperties = stamps;
        }
    }
}

/// <summary>A Graph <c>dateTimeTimeZone</c>: a local date and time and the zone it is in.</summary>
internal sealed record GraphTime(string? DateTime, string? TimeZone);

/// <summary>A Graph <c>emailAddress</c>.</summary>
internal sealed record GraphAddress(string? Address, string? Name);

/// <summary>A Graph <c>attendee</c>: its address, type and <c>status.response</c>.</summary>
internal sealed record GraphAttendee(GraphAddress? EmailAddress, G.AttendeeType? Type, G.ResponseType? Response);
