using System.Collections.Immutable;
using NodaTime;
using OutlookCalendarSync.Internal;
using Json = OutlookCalendarSync.Model.CalendarEventJson;

namespace OutlookCalendarSync.Model;

/// <content>The one list of the event's fields: identity and synced content, each with its comparison, hash and JSON form.</content>
public sealed partial record CalendarEvent
{
    /// <summary>
    /// Every property of the event, in the order of its JSON document and of <see cref="ContentHash"/>: the identity fields
    /// (<see cref="EventField.Flag"/> is <see cref="EventFields.None"/>) and one entry per synced field.
    /// </summary>
    /// <remarks>
    /// To add a property: give it a backing field, add its entry here (a synced one also gets an <see cref="EventFields"/> flag),
    /// and keep <see cref="ContentHashVersion"/> when the new field's default adds nothing to the hash (bump it otherwise).
    /// </remarks>
    internal static ImmutableArray<EventField> Fields { get; } =
    [
        Identity(nameof(Id), e => e._id, (e, v) => e._id = v, "id"),
        Identity(nameof(Version), e => e._version, (e, v) => e._version = v, "version"),
        Identity(nameof(ICalUId), e => e._iCalUId, (e, v) => e._iCalUId = v, "iCalUId"),
        Identity(nameof(CounterpartId), e => e._counterpartId, (e, v) => e._counterpartId = v, "counterpartId"),
        new EventField<Instant?>(
            nameof(LastModified), EventFields.None, e => e._lastModified, (e, v) => e._lastModified = v, (a, b) => a == b, null,
            (w, v) => Json.WriteInstant(w, "lastModified", v), j => Json.ReadInstant(j, "lastModified")),
        new EventField<string?>(
            nameof(Subject), EventFields.Subject, e => e._subject, (e, v) => e._subject = v, SameText,
            (string? v, ref StableHash h) => h.Add(v ?? string.Empty),
            (w, v) => Json.WriteString(w, "subject", v), j => Json.ReadString(j, "subject"),
            sameExactly: (a, b) => a == b),
        new EventField<EventBody?>(
            nameof(Body), EventFields.Body, e => e._body, (e, v) => e._body = v, SameBody,
            (EventBody? v, ref StableHash h) =>
            {
                bool hasBody = !string.IsNullOrEmpty(v?.Content);
                h.Add(hasBody ? v!.Content : string.Empty);
                h.Add(hasBody ? (long)v!.ContentType : -1);
            },
            Json.WriteBody, Json.ReadBody,
            sameExactly: (a, b) => Equals(a, b)),
        new EventField<EventTiming>(
            nameof(Timing), EventFields.Timing, e => e._timing, (e, v) => e._timing = v, (a, b) => a.Equals(b),
            (EventTiming v, ref StableHash h) => v.AddTo(ref h),
            Json.WriteTiming, Json.ReadTiming),
        new EventField<string?>(
            nameof(Location), EventFields.Location, e => e._location, (e, v) => e._location = v, SameText,
            (string? v, ref StableHash h) => h.Add(v ?? string.Empty),
            (w, v) => Json.WriteString(w, "location", v), j => Json.ReadString(j, "location"),
            sameExactly: (a, b) => a == b),
        new EventField<Uri?>(
            nameof(OnlineMeetingUrl), EventFields.OnlineMeetingUrl, e => e._onlineMeetingUrl, (e, v) => e._onlineMeetingUrl = v, (a, b) => a == b,
            (Uri? v, ref StableHash h) => h.Add(v?.OriginalString),
            Json.WriteUrl, Json.ReadUrl),
        new EventField<IReadOnlyList<Attendee>>(
            nameof(Attendees), EventFields.Attendees, e => e._attendees, (e, v) => e._attendees = v, SameAttendees,
            (IReadOnlyList<Attendee> v, ref StableHash h) =>
            {
                h.Add(v.Count);
                foreach (Attendee attendee in Normalized(v))
                {
                    h.Add(attendee.Email.NormalizedAddress);
                    h.Add(attendee.Email.Name);
                    h.Add((long)attendee.Type);
                    h.Add((long)attendee.Response);
                }
            },
            Json.WriteAttendees, Json.ReadAttendees,
            sameExactly: (a, b) => SameAttendees(a, b) && a.SequenceEqual(b)),
        new EventField<EmailAddress?>(
            nameof(Organizer), EventFields.Organizer, e => e._organizer, (e, v) => e._organizer = v, (a, b) => Equals(a, b),
            (EmailAddress? v, ref StableHash h) => h.Add(v?.NormalizedAddress),
            Json.WriteOrganizer, Json.ReadOrganizer),
        new EventField<ShowAs>(
            nameof(ShowAs), EventFields.ShowAs, e => e._showAs, (e, v) => e._showAs = v, (a, b) => a == b,
            (ShowAs v, ref StableHash h) => h.Add((long)v),
            (w, v) => Json.WriteEnum(w, "showAs", v), j => Json.ReadEnum(j, "showAs", ShowAs.Busy)),
        new EventField<Sensitivity>(
            nameof(Sensitivity), EventFields.Sensitivity, e => e._sensitivity, (e, v) => e._sensitivity = v, (a, b) => a == b,
            (Sensitivity v, ref StableHash h) => h.Add((long)v),
            (w, v) => Json.WriteEnum(w, "sensitivity", v), j => Json.ReadEnum(j, "sensitivity", Sensitivity.Normal)),
        new EventField<int?>(
            nameof(ReminderMinutesBeforeStart), EventFields.Reminder, e => e._reminderMinutesBeforeStart, (e, v) => e._reminderMinutesBeforeStart = v, (a, b) => a == b,
            (int? v, ref StableHash h) => h.Add(v ?? -1),
            Json.WriteReminder, Json.ReadReminder),
        new EventField<IReadOnlyList<string>>(
            nameof(Categories), EventFields.Categories, e => e._categories, (e, v) => e._categories = v, SameCategories,
            (IReadOnlyList<string> v, ref StableHash h) =>
            {
                h.Add(v.Count);
                foreach (string category in Normalized(v))
                {
                    h.Add(category);
                }
            },
            Json.WriteCategories, Json.ReadCategories,
            sameExactly: (a, b) => a.SequenceEqual(b, StringComparer.Ordinal)),
        new EventField<Recurrence?>(
            nameof(Recurrence), EventFields.Recurrence, e => e._recurrence, (e, v) => e._recurrence = v, (a, b) => Equals(a, b),
            (Recurrence? v, ref StableHash h) =>
            {
                h.Add(v is not null);
                v?.AddTo(ref h);
            },
            Json.WriteRecurrence, Json.ReadRecurrence),
        Identity(nameof(SeriesMasterId), e => e._seriesMasterId, (e, v) => e._seriesMasterId = v, "seriesMasterId"),
        new EventField<Instant?>(
            nameof(OriginalStart), EventFields.OriginalStart, e => e._originalStart, (e, v) => e._originalStart = v, (a, b) => a == b,
            (Instant? v, ref StableHash h) => h.Add(v?.ToUnixTimeTicks() ?? long.MinValue),
            (w, v) => Json.WriteInstant(w, "originalStart", v), j => Json.ReadInstant(j, "originalStart")),
        new EventField<bool>(
            nameof(IsCancelled), EventFields.IsCancelled, e => e._isCancelled, (e, v) => e._isCancelled = v, (a, b) => a == b,
            (bool v, ref StableHash h) => h.Add(v),
            Json.WriteCancelled, Json.ReadCancelled),
        new EventField<ResponseStatus>(
            nameof(MyResponse), EventFields.MyResponse, e => e._myResponse, (e, v) => e._myResponse = v, (a, b) => a == b,
            (ResponseStatus v, ref StableHash h) =>
            {
                // Hashed only when set, so the hashes of events stored before the field existed stay the same.
                if (v != ResponseStatus.None)
                {
                    h.Add((long)v);
                }
            },
            (w, v) => Json.WriteEnum(w, "myResponse", v, ResponseStatus.None), j => Json.ReadEnum(j, "myResponse", ResponseStatus.None)),
    ];

    /// <summary>The entries of <see cref="Fields"/> that are content, one per <see cref="EventFields"/> flag.</summary>
    internal static ImmutableArray<EventField> SyncedFields { get; } = [.. Fields.Where(f => f.Flag != EventFields.None)];

    private static EventField<string?> Identity(string name, Func<CalendarEvent, string?> get, Action<CalendarEvent, string?> set, string jsonName)
        => new(name, EventFields.None, get, set, (a, b) => a == b, null, (w, v) => Json.WriteString(w, jsonName, v), j => Json.ReadString(j, jsonName));

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
}
