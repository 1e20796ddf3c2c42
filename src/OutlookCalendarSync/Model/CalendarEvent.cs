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
public sealed partial record CalendarEvent
{
    private string? _id;
    private string? _version;
    private string? _iCalUId;
    private string? _counterpartId;
    private Instant? _lastModified;
    private string? _subject;
    private EventBody? _body;
    private EventTiming _timing = null!;
    private string? _location;
    private Uri? _onlineMeetingUrl;
    private IReadOnlyList<Attendee> _attendees = [];
    private EmailAddress? _organizer;
    private ShowAs _showAs = ShowAs.Busy;
    private Sensitivity _sensitivity = Sensitivity.Normal;
    private int? _reminderMinutesBeforeStart;
    private IReadOnlyList<string> _categories = [];
    private Recurrence? _recurrence;
    private string? _seriesMasterId;
    private Instant? _originalStart;
    private bool _isCancelled;
    private ResponseStatus _myResponse;

    // Copied by `with` like every field; each content property's init accessor clears it, so a copy with other content
    // never carries its original's hash.
    private ulong? _contentHash;

    /// <summary>Creates an empty event; set <see cref="Timing"/> and the other properties with an object initializer.</summary>
    public CalendarEvent()
    {
    }

    /// <summary>An event whose fields are all to be set through <see cref="Fields"/> (by the JSON reader).</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    private CalendarEvent(bool forReading)
    {
        _ = forReading;
        Timing = null!;
    }

    /// <summary>The event's id on the side it was read from (host id or Outlook id); null for an event not yet created.</summary>
    public string? Id { get => _id; init => _id = value; }

    /// <summary>
    /// The version that was read (host row version, Outlook change key); passed back on a conditional write so a stale write fails.
    /// </summary>
    public string? Version { get => _version; init => _version = value; }

    /// <summary>The iCalendar UID shared by both sides when known; used to match unlinked events.</summary>
    public string? ICalUId { get => _iCalUId; init => _iCalUId = value; }

    /// <summary>
    /// The id of this event's counterpart on the other side, stamped on events this library creates (in Outlook as a
    /// single-value extended property). Lets a rerun after a crash link instead of duplicating.
    /// </summary>
    public string? CounterpartId { get => _counterpartId; init => _counterpartId = value; }

    /// <summary>When the event was last modified on its side; decides field conflicts in the default resolver.</summary>
    public Instant? LastModified { get => _lastModified; init => _lastModified = value; }

    /// <summary>The title.</summary>
    public string? Subject { get => _subject; init { _subject = value; _contentHash = null; } }

    /// <summary>The description.</summary>
    public EventBody? Body { get => _body; init { _body = value; _contentHash = null; } }

    /// <summary>When the event takes place.</summary>
    public required EventTiming Timing { get => _timing; init { _timing = value; _contentHash = null; } }

    /// <summary>The location's display name.</summary>
    public string? Location { get => _location; init { _location = value; _contentHash = null; } }

    /// <summary>The online meeting's join URL (Teams, or a video-call link).</summary>
    public Uri? OnlineMeetingUrl { get => _onlineMeetingUrl; init { _onlineMeetingUrl = value; _contentHash = null; } }

    /// <summary>The invited attendees, each with an email address and an answer.</summary>
    public IReadOnlyList<Attendee> Attendees { get => _attendees; init { _attendees = Guard.NotNull(value).ToArray(); _contentHash = null; } }

    /// <summary>The organizer, or null when the calendar's owner organizes it or it is unknown.</summary>
    public EmailAddress? Organizer { get => _organizer; init { _organizer = value; _contentHash = null; } }

    /// <summary>How the time shows in free/busy.</summary>
    public ShowAs ShowAs { get => _showAs; init { _showAs = value; _contentHash = null; } }

    /// <summary>Who may see the details.</summary>
    public Sensitivity Sensitivity { get => _sensitivity; init { _sensitivity = value; _contentHash = null; } }

    /// <summary>Minutes before the start that a reminder fires, or null for no reminder.</summary>
    public int? ReminderMinutesBeforeStart { get => _reminderMinutesBeforeStart; init { _reminderMinutesBeforeStart = value; _contentHash = null; } }

    /// <summary>The category names.</summary>
    public IReadOnlyList<string> Categories { get => _categories; init { _categories = Guard.NotNull(value).ToArray(); _contentHash = null; } }

    /// <summary>The recurrence rule, for a series master; null otherwise.</summary>
    public Recurrence? Recurrence { get => _recurrence; init { _recurrence = value; _contentHash = null; } }

    /// <summary>For a modified occurrence (an exception): the id of its series master on the same side.</summary>
    public string? SeriesMasterId { get => _seriesMasterId; init => _seriesMasterId = value; }

    /// <summary>For a modified occurrence: the start the occurrence had in the series.</summary>
    public Instant? OriginalStart { get => _originalStart; init { _originalStart = value; _contentHash = null; } }

    /// <summary>Whether the organizer cancelled the event.</summary>
    public bool IsCancelled { get => _isCancelled; init { _isCancelled = value; _contentHash = null; } }

    /// <summary>
    /// The calendar owner's own answer to an invitation someone else organized (<see cref="Organizer"/> is set);
    /// <see cref="ResponseStatus.None"/> when unanswered or unknown, and <see cref="ResponseStatus.None"/> or
    /// <see cref="ResponseStatus.Organizer"/> for an event the owner organizes.
    /// </summary>
    /// <remarks>
    /// Written to Outlook as an answer to the organizer (accept, tentatively accept, decline), not as a field; an answer of
    /// <see cref="ResponseStatus.None"/> or <see cref="ResponseStatus.NotResponded"/> cannot be sent and is left as it is.
    /// </remarks>
    public ResponseStatus MyResponse { get => _myResponse; init { _myResponse = value; _contentHash = null; } }

    /// <summary>True for a series master.</summary>
    public bool IsSeriesMaster => Recurrence is not null;

    /// <summary>True for a modified occurrence of a series.</summary>
    public bool IsSeriesException => SeriesMasterId is not null;

    /// <summary>Compares events by their synced fields only.</summary>
    internal static IEqualityComparer<CalendarEvent> ContentComparer { get; } = new ContentEqualityComparer();

    /// <summary>
    /// A hash of the synced fields, stable across processes and machines (FNV-1a 64-bit over a normalized form), so it can be
    /// stored in sync state. Events with equal content have equal hashes.
    /// </summary>
    public ulong ContentHash => _contentHash ??= ComputeContentHash();

    /// <summary>
    /// The version of <see cref="ContentHash"/>'s algorithm and field list: bumped when either changes, so hashes stored by an
    /// earlier version are recomputed instead of making every event look changed.
    /// </summary>
    /// <remarks>
    /// A new synced field whose default adds nothing to the hash (as <see cref="MyResponse"/> does) keeps the version: every
    /// stored hash stays what it was.
    /// </remarks>
    internal const int ContentHashVersion = 1;

    /// <summary>The synced fields whose values differ between this event and <paramref name="other"/>.</summary>
    /// <param name="other">The event to compare with.</param>
    /// <returns>The differing fields; <see cref="EventFields.None"/> when the content is equal.</returns>
    public EventFields DiffersFrom(CalendarEvent other)
    {
        Guard.NotNull(other);
        EventFields diff = EventFields.None;
        foreach (EventField field in SyncedFields)
        {
            if (!field.SameContent(this, other))
            {
                diff |= field.Flag;
            }
        }

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

        CalendarEvent copy = this with { };
        foreach (EventField field in SyncedFields)
        {
            if ((fields & field.Flag) != 0)
            {
                field.Copy(source, copy);
            }
        }

        copy._contentHash = null;
        return copy;
    }

    /// <summary>Returns the synced fields only: identity, version and modification time cleared.</summary>
    /// <returns>A copy with only content.</returns>
    internal CalendarEvent ContentOnly() => this with { Id = null, Version = null, ICalUId = null, CounterpartId = null, LastModified = null, SeriesMasterId = null };

    /// <inheritdoc />
    public bool Equals(CalendarEvent? other)
    {
        if (other is null)
        {
            return false;
        }

        foreach (EventField field in Fields)
        {
            if (!field.SameExactly(this, other))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Version, ContentHash);

    /// <inheritdoc />
    public override string ToString() => $"'{Subject}' {Timing}" + (Id is null ? string.Empty : $" [{Id}]");

    /// <summary>An instance for the JSON reader, which sets every field through <see cref="Fields"/>.</summary>
    internal static CalendarEvent ForReading() => new(forReading: true);

    private ulong ComputeContentHash()
    {
        var hash = default(StableHash);
        foreach (EventField field in SyncedFields)
        {
            field.AddToHash(this, ref hash);
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
