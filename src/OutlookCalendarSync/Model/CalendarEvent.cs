using NodaTime;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Model;

/// <summary>
/// One calendar event as both sides of the sync see it: the host's calendar and Outlook speak this model, never their own types.
/// </summary>
/// <remarks>
/// <para>
/// The <em>synced fields</em> (see <see cref="EventFields"/>) are the content. The identity fields — <see cref="Id"/>,
/// <see cref="Version"/>, <see cref="ICalUId"/>, <see cref="CounterpartId"/>, <see cref="SeriesMasterId"/> — and
/// <see cref="LastModified"/> describe where the event lives and when it last changed; they are not content.
/// </para>
/// <para>
/// Record equality (<c>==</c>, <see cref="Equals(CalendarEvent)"/>) compares every property. <see cref="ContentComparer"/>
/// and <see cref="ContentHash"/> compare only the synced fields, normalized (attendees and categories as sets, addresses
/// case-insensitively, empty and null strings alike): a version bump with no content change is not a change.
/// </para>
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record CalendarEvent
{
    private readonly IReadOnlyList<Attendee> _attendees = [];
    private readonly IReadOnlyList<string> _categories = [];
    private ulong? _contentHash;

    /// <summary>Creates an empty event; set <see cref="Timing"/> and the other properties with an object initializer.</summary>
    public CalendarEvent()
    {
    }

    /// <summary>Copies an event for <c>with</c> expressions; the cached content hash is not copied, since the copy may differ.</summary>
    /// <param name="original">The event to copy.</param>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    private CalendarEvent(CalendarEvent original)
    {
        Id = original.Id;
        Version = original.Version;
        ICalUId = original.ICalUId;
        CounterpartId = original.CounterpartId;
        LastModified = original.LastModified;
        Subject = original.Subject;
        Body = original.Body;
        Timing = original.Timing;
        Location = original.Location;
        OnlineMeetingUrl = original.OnlineMeetingUrl;
        Organizer = original.Organizer;
        ShowAs = original.ShowAs;
        Sensitivity = original.Sensitivity;
        ReminderMinutesBeforeStart = original.ReminderMinutesBeforeStart;
        Recurrence = original.Recurrence;
        SeriesMasterId = original.SeriesMasterId;
        OriginalStart = original.OriginalStart;
        IsCancelled = original.IsCancelled;
        MyResponse = original.MyResponse;
        _attendees = original._attendees;
        _categories = original._categories;
    }

    /// <summary>The event's id on the side it was read from (host id or Outlook id); null for an event not yet created.</summary>
    public string? Id { get; init; }

    /// <summary>
    /// The version that was read (host row version, Outlook change key); passed back on a conditional write so a stale write fails.
    /// </summary>
    public string? Version { get; init; }

    /// <summary>The iCalendar UID shared by both sides when known; used to match unlinked events.</summary>
    public string? ICalUId { get; init; }

    /// <summary>
    /// The id of this event's counterpart on the other side, stamped on events this library creates (in Outlook as a
    /// single-value extended property). Lets a rerun after a crash link instead of duplicating.
    /// </summary>
    public string? CounterpartId { get; init; }

    /// <summary>When the event was last modified on its side; decides field conflicts in the default resolver.</summary>
    public Instant? LastModified { get; init; }

    /// <summary>The title.</summary>
    public string? Subject { get; init; }

    /// <summary>The description.</summary>
    public EventBody? Body { get; init; }

    /// <summary>When the event takes place.</summary>
    public required EventTiming Timing { get; init; }

    /// <summary>The location's display name.</summary>
    public string? Location { get; init; }

    /// <summary>The online meeting's join URL (Teams, or a video-call link).</summary>
    public Uri? OnlineMeetingUrl { get; init; }

    /// <summary>The invited attendees, each with an email address and an answer.</summary>
    public IReadOnlyList<Attendee> Attendees
    {
        get => _attendees;
        init => _attendees = Guard.NotNull(value).ToArray();
    }

    /// <summary>The organizer, or null when the calendar's owner organizes it or it is unknown.</summary>
    public EmailAddress? Organizer { get; init; }

    /// <summary>How the time shows in free/busy.</summary>
    public ShowAs ShowAs { get; init; } = ShowAs.Busy;

    /// <summary>Who may see the details.</summary>
    public Sensitivity Sensitivity { get; init; } = Sensitivity.Normal;

    /// <summary>Minutes before the start that a reminder fires, or null for no reminder.</summary>
    public int? ReminderMinutesBeforeStart { get; init; }

    /// <summary>The category names.</summary>
    public IReadOnlyList<string> Categories
    {
        get => _categories;
        init => _categories = Guard.NotNull(value).ToArray();
    }

    /// <summary>The recurrence rule, for a series master; null otherwise.</summary>
    public Recurrence? Recurrence { get; init; }

    /// <summary>For a modified occurrence (an exception): the id of its series master on the same side.</summary>
    public string? SeriesMasterId { get; init; }

    /// <summary>For a modified occurrence: the start the occurrence had in the series.</summary>
    public Instant? OriginalStart { get; init; }

    /// <summary>Whether the organizer cancelled the event.</summary>
    public bool IsCancelled { get; init; }

    /// <summary>
    /// The calendar owner's own answer to an invitation someone else organized (<see cref="Organizer"/> is set);
    /// <see cref="ResponseStatus.None"/> when unanswered or unknown, and <see cref="ResponseStatus.None"/> or
    /// <see cref="ResponseStatus.Organizer"/> for an event the owner organizes.
    /// </summary>
    /// <remarks>
    /// Written to Outlook as an answer to the organizer (accept, tentatively accept, decline), not as a field; an answer of
    /// <see cref="ResponseStatus.None"/> or <see cref="ResponseStatus.NotResponded"/> cannot be sent and is left as it is.
    /// </remarks>
    public ResponseStatus MyResponse { get; init; }

    /// <summary>True for a series master.</summary>
    public bool IsSeriesMaster => Recurrence is not null;

    /// <summary>True for a modified occurrence of a series.</summary>
    public bool IsSeriesException => SeriesMasterId is not null;

    /// <summary>Compares events by their synced fields only.</summary>
    public static IEqualityComparer<CalendarEvent> ContentComparer { get; } = new ContentEqualityComparer();

    /// <summary>
    /// A hash of the synced fields, stable across processes and machines (FNV-1a 64-bit over a normalized form), so it can be
    /// stored in sync state. Events with equal content have equal hashes.
    /// </summary>
    public ulong ContentHash => _contentHash ??= ComputeContentHash();

    /// <summary>
    /// The version of <see cref="ContentHash"/>'s algorithm and field list: bumped when either changes, so hashes stored by an
    /// earlier version are recomputed instead of making every event look changed.
    /// </summary>
    internal const int ContentHashVersion = 1;

    /// <summary>The synced fields whose values differ between this event and <paramref name="other"/>.</summary>
    /// <param name="other">The event to compare with.</param>
    /// <returns>The differing fields; <see cref="EventFields.None"/> when the content is equal.</returns>
    public EventFields DiffersFrom(CalendarEvent other)
    {
        Guard.NotNull(other);
        EventFields diff = EventFields.None;
        if (!SameText(Subject, other.Subject)) diff |= EventFields.Subject;
        if (!SameBody(Body, other.Body)) diff |= EventFields.Body;
        if (!Timing.Equals(other.Timing)) diff |= EventFields.Timing;
        if (!SameText(Location, other.Location)) diff |= EventFields.Location;
        if (OnlineMeetingUrl != other.OnlineMeetingUrl) diff |= EventFields.OnlineMeetingUrl;
        if (!SameAttendees(Attendees, other.Attendees)) diff |= EventFields.Attendees;
        if (!Equals(Organizer, other.Organizer)) diff |= EventFields.Organizer;
        if (ShowAs != other.ShowAs) diff |= EventFields.ShowAs;
        if (Sensitivity != other.Sensitivity) diff |= EventFields.Sensitivity;
        if (ReminderMinutesBeforeStart != other.ReminderMinutesBeforeStart) diff |= EventFields.Reminder;
        if (!SameCategories(Categories, other.Categories)) diff |= EventFields.Categories;
        if (!Equals(Recurrence, other.Recurrence)) diff |= EventFields.Recurrence;
        if (OriginalStart != other.OriginalStart) diff |= EventFields.OriginalStart;
        if (IsCancelled != other.IsCancelled) diff |= EventFields.IsCancelled;
        if (MyResponse != other.MyResponse) diff |= EventFields.MyResponse;
        return diff;
    }

    /// <summary>Returns this event with the given synced fields copied from <paramref name="source"/>; identity fields are kept.</summary>
    /// <param name="source">The event to copy from.</param>
    /// <param name="fields">The fields to copy.</param>
    /// <returns>The new event.</returns>
    public CalendarEvent WithFieldsFrom(CalendarEvent source, EventFields fields)
    {
        Guard.NotNull(source);
        if (fields == EventFields.None)
        {
            return this;
        }

        return this with
        {
            Subject = fields.HasFlag(EventFields.Subject) ? source.Subject : Subject,
            Body = fields.HasFlag(EventFields.Body) ? source.Body : Body,
            Timing = fields.HasFlag(EventFields.Timing) ? source.Timing : Timing,
            Location = fields.HasFlag(EventFields.Location) ? source.Location : Location,
            OnlineMeetingUrl = fields.HasFlag(EventFields.OnlineMeetingUrl) ? source.OnlineMeetingUrl : OnlineMeetingUrl,
            Attendees = fields.HasFlag(EventFields.Attendees) ? source.Attendees : Attendees,
            Organizer = fields.HasFlag(EventFields.Organizer) ? source.Organizer : Organizer,
            ShowAs = fields.HasFlag(EventFields.ShowAs) ? source.ShowAs : ShowAs,
            Sensitivity = fields.HasFlag(EventFields.Sensitivity) ? source.Sensitivity : Sensitivity,
            ReminderMinutesBeforeStart = fields.HasFlag(EventFields.Reminder) ? source.ReminderMinutesBeforeStart : ReminderMinutesBeforeStart,
            Categories = fields.HasFlag(EventFields.Categories) ? source.Categories : Categories,
            Recurrence = fields.HasFlag(EventFields.Recurrence) ? source.Recurrence : Recurrence,
            OriginalStart = fields.HasFlag(EventFields.OriginalStart) ? source.OriginalStart : OriginalStart,
            IsCancelled = fields.HasFlag(EventFields.IsCancelled) ? source.IsCancelled : IsCancelled,
            MyResponse = fields.HasFlag(EventFields.MyResponse) ? source.MyResponse : MyResponse,
        };
    }

    /// <summary>Returns the synced fields only: identity, version and modification time cleared.</summary>
    /// <returns>A copy with only content.</returns>
    public CalendarEvent ContentOnly() => this with { Id = null, Version = null, ICalUId = null, CounterpartId = null, LastModified = null, SeriesMasterId = null };

    /// <inheritdoc />
    public bool Equals(CalendarEvent? other)
        => other is not null
           && Id == other.Id && Version == other.Version && ICalUId == other.ICalUId && CounterpartId == other.CounterpartId
           && LastModified == other.LastModified && SeriesMasterId == other.SeriesMasterId
           && Subject == other.Subject && Equals(Body, other.Body) && Location == other.Location
           && DiffersFrom(other) == EventFields.None
           && Attendees.SequenceEqual(other.Attendees) && Categories.SequenceEqual(other.Categories, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Version, ContentHash);

    /// <inheritdoc />
    public override string ToString() => $"'{Subject}' {Timing}" + (Id is null ? string.Empty : $" [{Id}]");

    private static bool SameText(string? a, string? b) => string.Equals(a ?? string.Empty, b ?? string.Empty, StringComparison.Ordinal);

    private static bool SameBody(EventBody? a, EventBody? b)
    {
        bool aEmpty = string.IsNullOrEmpty(a?.Content);
        bool bEmpty = string.IsNullOrEmpty(b?.Content);
        if (aEmpty || bEmpty)
        {
            return aEmpty && bEmpty;
        }

        return a!.ContentType == b!.ContentType && string.Equals(a.Content, b.Content, StringComparison.Ordinal);
    }

    private static bool SameAttendees(IReadOnlyList<Attendee> a, IReadOnlyList<Attendee> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        IReadOnlyList<Attendee> x = Normalized(a);
        IReadOnlyList<Attendee> y = Normalized(b);
        for (int i = 0; i < x.Count; i++)
        {
            if (!SameAttendee(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameAttendee(Attendee a, Attendee b)
        => a.Type == b.Type && a.Response == b.Response
           && string.Equals(a.Email.Address, b.Email.Address, StringComparison.OrdinalIgnoreCase)
           && string.Equals(a.Email.Name, b.Email.Name, StringComparison.Ordinal);

    /// <summary>Attendees in a canonical order (address, type, response), so lists compare as sets; no copy for 0 or 1.</summary>
    private static IReadOnlyList<Attendee> Normalized(IReadOnlyList<Attendee> attendees)
    {
        if (attendees.Count < 2)
        {
            return attendees;
        }

        Attendee[] sorted = [.. attendees];
        Array.Sort(sorted, static (a, b) =>
        {
            int byAddress = string.CompareOrdinal(a.Email.NormalizedAddress, b.Email.NormalizedAddress);
            return byAddress != 0 ? byAddress : a.Type != b.Type ? a.Type.CompareTo(b.Type) : a.Response.CompareTo(b.Response);
        });
        return sorted;
    }

    private static IReadOnlyList<string> Normalized(IReadOnlyList<string> categories)
    {
        if (categories.Count < 2)
        {
            return categories;
        }

        string[] sorted = [.. categories];
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    private static bool SameCategories(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        IReadOnlyList<string> x = Normalized(a);
        IReadOnlyList<string> y = Normalized(b);
        for (int i = 0; i < x.Count; i++)
        {
            if (!string.Equals(x[i], y[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private ulong ComputeContentHash()
    {
        var hash = default(StableHash);
        hash.Add(Subject ?? string.Empty);
        bool hasBody = !string.IsNullOrEmpty(Body?.Content);
        hash.Add(hasBody ? Body!.Content : string.Empty);
        hash.Add(hasBody ? (long)Body!.ContentType : -1);
        Timing.AddTo(ref hash);
        hash.Add(Location ?? string.Empty);
        hash.Add(OnlineMeetingUrl?.OriginalString);
        hash.Add(Attendees.Count);
        foreach (Attendee attendee in Normalized(Attendees))
        {
            hash.Add(attendee.Email.NormalizedAddress);
            hash.Add(attendee.Email.Name);
            hash.Add((long)attendee.Type);
            hash.Add((long)attendee.Response);
        }

        hash.Add(Organizer?.NormalizedAddress);
        hash.Add((long)ShowAs);
        hash.Add((long)Sensitivity);
        hash.Add(ReminderMinutesBeforeStart ?? -1);
        hash.Add(Categories.Count);
        foreach (string category in Normalized(Categories))
        {
            hash.Add(category);
        }

        hash.Add(Recurrence is not null);
        Recurrence?.AddTo(ref hash);
        hash.Add(OriginalStart?.ToUnixTimeTicks() ?? long.MinValue);
        hash.Add(IsCancelled);

        // Hashed only when set, so the hashes of events stored before the field existed stay the same.
        if (MyResponse != ResponseStatus.None)
        {
            hash.Add((long)MyResponse);
        }

        return hash.Value;
    }

    private sealed class ContentEqualityComparer : IEqualityComparer<CalendarEvent>
    {
        public bool Equals(CalendarEvent? x, CalendarEvent? y)
            => ReferenceEquals(x, y) || (x is not null && y is not null && x.ContentHash == y.ContentHash && x.DiffersFrom(y) == EventFields.None);

        public int GetHashCode(CalendarEvent obj) => Guard.NotNull(obj).ContentHash.GetHashCode();
    }
}
