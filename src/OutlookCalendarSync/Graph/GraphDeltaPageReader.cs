using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text.Json;
using Microsoft.Kiota.Abstractions.Helpers;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Abstractions.Store;
using Microsoft.Kiota.Serialization.Json;
using G = Microsoft.Graph.Models;

namespace OutlookCalendarSync.Graph;

/// <summary>One <c>calendarView/delta</c> page: its items, and the link to the next page or the delta link that ends the round.</summary>
internal sealed record GraphDeltaPage(IReadOnlyList<GraphEventData> Items, string? NextLink, string? DeltaLink);

/// <summary>
/// Reads a <c>calendarView/delta</c> page with <see cref="Utf8JsonReader"/> into <see cref="GraphEventData"/>, without building the
/// SDK's models (a Kiota <c>Event</c> keeps every value in a backing store: parsing a page of 1,000 events that way cost most of a
/// first sync's time and allocations). The items a series needs as models (masters and exceptions) and any item whose JSON is not
/// of the shape read here are handed to the SDK's own JSON parser, item by item, so they come out exactly as the SDK reads them.
/// </summary>
/// <remarks>
/// <para>
/// The fields read here are read as the SDK's parser (Kiota's <c>JsonParseNode</c>) reads them, so both give the mapper the same
/// values: property names match exactly (case-sensitive, as Kiota's field tables do; a property of another casing is unknown to
/// both); unknown properties are ignored (<c>@odata.etag</c>, <c>@odata.type</c>, fields Graph may add); a property whose value is
/// <c>null</c> keeps what an earlier property of the same name gave (Kiota skips nulls), and otherwise the last one of a name wins;
/// an item with <c>@removed</c> (whatever its value) is a removal; an empty enum string is null; dates and times are ISO 8601 or,
/// failing that, whatever <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>
/// reads (a <c>dateTime</c> with fewer fractional digits included); the local <c>start</c> / <c>end</c> times are strings the mapper
/// parses, as before.
/// </para>
/// <para>
/// Where this reader is not sure to agree with the SDK it does not guess: an item with a value of another JSON kind than Graph's
/// schema gives (a number where a string belongs, an object that is not an object), an enum value it does not know in any casing,
/// an escaped property name, or a recurrence, is parsed by the SDK instead, with the SDK's own tolerance. So no item is lost or read
/// differently; an item the mapper cannot read still becomes a sync note, as before. A page that is not JSON fails as the SDK's read
/// failed (<see cref="JsonException"/>).
/// </para>
/// <para>
/// A page (at most <c>odata.maxpagesize</c> items, 1,000 by default) is read into one pooled buffer and parsed from there; the strings
/// kept are the values the mapped events hold.
/// </para>
/// </remarks>
internal static class GraphDeltaPageReader
{
    private const int InitialBuffer = 64 * 1024;

    /// <summary>Reads a page from a response stream (null when Graph sent no content: an empty page without links).</summary>
    public static async Task<GraphDeltaPage> ReadAsync(Stream? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return new GraphDeltaPage([], null, null);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses a whole page.</summary>
    /// <exception cref="JsonException">The page is not JSON.</exception>
    public static GraphDeltaPage Parse(ReadOnlySpan<byte> json)
    {
        // Like JsonDocument (which the SDK parses with), a UTF-8 byte order mark is allowed.
        if (json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            json = json[3..];
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        reader.Read();
        var items = new List<GraphEventData>();
        string? nextLink = null;
        string? deltaLink = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // Not an object: the SDK's page model gets no field at all.
            reader.Skip();
        }
        else
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    items = [];
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            items.Add(ReadItem(ref reader));
                        }
                        else
                        {
                            // The SDK makes an event without fields of it, which has no id (and is passed over).
                            items.Add(new GraphEventData());
                            reader.Skip();
                        }
                    }
                }
                else if (reader.ValueTextEquals("@odata.nextLink"u8))
                {
                    reader.Read();
                    ReadLink(ref reader, ref nextLink);
                }
                else if (reader.ValueTextEquals("@odata.deltaLink"u8))
                {
                    reader.Read();
                    ReadLink(ref reader, ref deltaLink);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        if (reader.Read())
        {
            throw new JsonException("The delta page has content after its JSON value.");
        }

        return new GraphDeltaPage(items, nextLink, deltaLink);
    }

    private static void ReadLink(ref Utf8JsonReader reader, ref string? link)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        link = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        reader.Skip();
    }

    /// <summary>Reads one item of the page (the reader at its <c>{</c>, left at its <c>}</c>).</summary>
    private static GraphEventData ReadItem(ref Utf8JsonReader reader)
    {
        Utf8JsonReader start = reader;
        var data = new GraphEventData();
        bool understood = ReadEvent(ref reader, data);
        if (understood && data.Type is not (G.EventType.SeriesMaster or G.EventType.Exception))
        {
            return data;
        }

        // The series code reads masters and exceptions as the SDK's models; anything not understood is the SDK's to read too.
        JsonElement element = JsonElement.ParseValue(ref start);
        var node = new JsonParseNode(element)
        {
            // What the SDK's backing-store parse node factory does after it parses a model.
            OnAfterAssignFieldValues = model =>
            {
                if (model is IBackedModel { BackingStore: { } store })
                {
                    store.InitializationCompleted = true;
                }
            },
        };
        return GraphEventData.From(node.GetObjectValue(G.Event.CreateFromDiscriminatorValue));
    }

    private static bool ReadEvent(ref Utf8JsonReader reader, GraphEventData data)
    {
        bool understood = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            EventField field = reader.ValueIsEscaped ? EventField.Escaped : EventFieldOf(reader.ValueSpan);
            reader.Read();
            if (field == EventField.Removed)
            {
                // Any value, null too: the SDK keeps it in the model's additional data, which is what a removal is told by.
                data.IsRemoved = true;
            }
            else if (field == EventField.Escaped)
            {
                understood = false;
            }
            else if (field != EventField.Unknown && reader.TokenType != JsonTokenType.Null)
            {
                understood &= ReadField(ref reader, field, data);
            }

            reader.Skip();
        }

        return understood;
    }

    /// <summary>Reads one field's non-null value; false when it is not of the kind Graph's schema gives (the SDK then reads the item).</summary>
    private static bool ReadField(ref Utf8JsonReader reader, EventField field, GraphEventData data)
    {
        bool understood;
        switch (field)
        {
            case EventField.Id:
                understood = Text(ref reader, out string? id);
                data.Id = id;
                break;
            case EventField.ChangeKey:
                understood = Text(ref reader, out string? changeKey);
                data.ChangeKey = changeKey;
                break;
            case EventField.ICalUId:
                understood = Text(ref reader, out string? iCalUId);
                data.ICalUId = iCalUId;
                break;
            case EventField.Subject:
                understood = Text(ref reader, out string? subject);
                data.Subject = subject;
                break;
            case EventField.SeriesMasterId:
                understood = Text(ref reader, out string? masterId);
                data.SeriesMasterId = masterId;
                break;
            case EventField.OriginalStartTimeZone:
                understood = Text(ref reader, out string? startZone);
                data.OriginalStartTimeZone = startZone;
                break;
            case EventField.OriginalEndTimeZone:
                understood = Text(ref reader, out string? endZone);
                data.OriginalEndTimeZone = endZone;
                break;
            case EventField.OnlineMeetingUrl:
                understood = Text(ref reader, out string? url);
                data.OnlineMeetingUrl = url;
                break;
            case EventField.Type:
                understood = Enum(ref reader, out G.EventType? type);
                data.Type = type;
                break;
            case EventField.ShowAs:
                understood = Enum(ref reader, out G.FreeBusyStatus? showAs);
                data.ShowAs = showAs;
                break;
            case EventField.Sensitivity:
                understood = Enum(ref reader, out G.Sensitivity? sensitivity);
                data.Sensitivity = sensitivity;
                break;
            case EventField.OriginalStart:
                understood = Date(ref reader, out DateTimeOffset? originalStart);
                data.OriginalStart = originalStart;
                break;
            case EventField.LastModifiedDateTime:
                understood = Date(ref reader, out DateTimeOffset? modified);
                data.LastModifiedDateTime = modified;
                break;
            case EventField.IsAllDay:
                understood = Flag(ref reader, out bool? allDay);
                data.IsAllDay = allDay;
                break;
            case EventField.IsOrganizer:
                understood = Flag(ref reader, out bool? isOrganizer);
                data.IsOrganizer = isOrganizer;
                break;
            case EventField.IsReminderOn:
                understood = Flag(ref reader, out bool? reminderOn);
                data.IsReminderOn = reminderOn;
                break;
            case EventField.IsCancelled:
                understood = Flag(ref reader, out bool? cancelled);
                data.IsCancelled = cancelled;
                break;
            case EventField.ReminderMinutesBeforeStart:
                understood = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out _);
                data.ReminderMinutesBeforeStart = understood ? reader.GetInt32() : null;
                break;
            case EventField.Start:
                understood = Time(ref reader, out GraphTime? start);
                data.Start = start;
                break;
            case EventField.End:
                understood = Time(ref reader, out GraphTime? end);
                data.End = end;
                break;
            case EventField.Body:
                understood = Body(ref reader, data);
                break;
            case EventField.Location:
                understood = OneText(ref reader, "displayName"u8, out string? location);
                data.LocationDisplayName = location;
                break;
            case EventField.OnlineMeeting:
                understood = OneText(ref reader, "joinUrl"u8, out string? joinUrl);
                data.OnlineMeetingJoinUrl = joinUrl;
                break;
            case EventField.Organizer:
                understood = Organizer(ref reader, out GraphAddress? organizer);
                data.OrganizerAddress = organizer;
                break;
            case EventField.ResponseStatus:
                understood = Response(ref reader, out G.ResponseType? response);
                data.MyResponse = response;
                break;
            case EventField.Attendees:
                understood = Attendees(ref reader, data);
                break;
            case EventField.Categories:
                understood = Categories(ref reader, data);
                break;
            case EventField.SingleValueExtendedProperties:
                understood = Stamps(ref reader, data);
                break;
            default:
                // A recurrence (a series master's, or one Graph sends with another type) is read by the SDK with the whole item.
                understood = false;
                break;
        }

        return understood;
    }

    /// <summary>
    /// Moves to the next property of an object whose value is not null, the reader left at that value; false at the object's end.
    /// A property with an escaped name is passed over and makes <paramref name="understood"/> false (the SDK reads the item).
    /// </summary>
    private static bool NextProperty(ref Utf8JsonReader reader, ref bool understood, out ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool escaped = reader.ValueIsEscaped;
            name = reader.ValueSpan;
            reader.Read();
            if (escaped)
            {
                understood = false;
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                return true;
            }

            reader.Skip();
        }

        name = default;
        return false;
    }

    private static bool Text(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType == JsonTokenType.String;
    }

    private static bool Flag(ref Utf8JsonReader reader, out bool? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        return value is not null;
    }

    private static bool Date(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        // As Kiota: ISO 8601 (System.Text.Json's reading), else DateTimeOffset.TryParse, else null.
        if (reader.TryGetDateTimeOffset(out DateTimeOffset iso))
        {
            value = iso;
        }
        else if (DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset parsed))
        {
            value = parsed;
        }

        return true;
    }

    private static bool Enum<T>(ref Utf8JsonReader reader, out T? value)
        where T : struct, Enum
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        string text = reader.GetString()!;
        if (text.Length == 0)
        {
            return true;
        }

        // A value of no known name in any casing (a number, spaces, a value Graph added) is not guessed: the SDK reads the item.
        value = EnumNames<T>.Find(text);
        return value is not null;
    }

    /// <summary>Reads an object of which one string property is wanted (<c>location.displayName</c>, <c>onlineMeeting.joinUrl</c>).</summary>
    private static bool OneText(ref Utf8JsonReader reader, ReadOnlySpan<byte> wanted, out string? value)
    {
        // A new object replaces the one an earlier property of the same name gave, as the SDK parses it.
        value = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool understood = true;
        while (NextProperty(ref reader, ref understood, out ReadOnlySpan<byte> name))
        {
            if (name.SequenceEqual(wanted))
            {
                understood &= Text(ref reader, out value);
            }

            reader.Skip();
        }

        return understood;
    }

    private static bool Time(ref Utf8JsonReader reader, out GraphTime? time)
    {
        time = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? dateTime = null;
        string? timeZone = null;
        bool understood = true;
        while (NextProperty(ref reader, ref understood, out ReadOnlySpan<byte> name))
        {
            if (name.SequenceEqual("dateTime"u8))
            {
                understood &= Text(ref reader, out dateTime);
            }
            else if (name.SequenceEqual("timeZone"u8))
            {
                understood &= Text(ref reader, out timeZone);
            }

            reader.Skip();
        }

        time = new GraphTime(dateTime, timeZone);
        return understood;
    }

    private static bool Body(ref Utf8JsonReader reader, GraphEventData data)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? content = null;
        G.BodyType? type = null;
        bool understood = true;
        while (NextProperty(ref reader, ref understood, out ReadOnlySpan<byte> name))
        {
            if (name.SequenceEqual("content"u8))
            {
                understood &= Text(ref reader, out content);
            }
            else if (name.SequenceEqual("contentType"u8))
            {
                understood &= Enum(ref reader, out type);
            }

            reader.Skip();
        }

        data.BodyContent = content;
        data.BodyContentType = type;
        return understood;
    }

    private static bool Address(ref Utf8JsonReader reader, out GraphAddress? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? address = null;
        string? name = null;
        bool understood = true;
        while (NextProperty(ref reader, ref understood, out ReadOnlySpan<byte> property))
        {
            if (property.SequenceEqual("address"u8))
            {
                understood &= Text(ref reader, out address);
            }
            else if (property.SequenceEqual("name"u8))
            {
                understood &= Text(ref reader, out name);
            }

            reader.Skip();
        }

        value = new GraphAddress(address, name);
        return understood;
    }

    private static bool Organizer(ref Utf8JsonReader reader, out GraphAddress? address)
    {
        address = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool understood = true;
        while (NextProperty(ref reader, ref understood, out ReadOnlySpan<byte> name))
        {
            if (name.SequenceEqual("emailAddress"u8))
            {
                understood &= Address(ref reader, out address);
            }

            reader.Skip();
        }

        return understood;
    }

    private static bool Response(ref Utf8JsonReader reader, out G.ResponseType? response)
    {
        response = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool understood = true;
        while (NextProperty(ref reader, ref understood, out ReadOnlySpan<byte> name))
        {
            if (name.SequenceEqual("response"u8))
            {
                understood &= Enum(ref reader, out response);
            }

            reader.Skip();
        }

        return understood;
    }

    private static bool Attendees(ref Utf8JsonReader reader, GraphEventData data)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var attendees = new List<GraphAttendee>();
        bool understood = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                understood = false;
                reader.Skip();
                continue;
            }

            GraphAddress? address = null;
            G.AttendeeType? type = null;
            G.ResponseType? response = null;
            while (NextProperty(ref reader, ref understood, out ReadOnlySpan<byte> name))
            {
                if (name.SequenceEqual("emailAddress"u8))
                {
                    understood &= Address(ref reader, out address);
                }
                else if (name.SequenceEqual("type"u8))
                {
                    understood &= Enum(ref reader, out type);
                }
                else if (name.SequenceEqual("status"u8))
                {
                    understood &= Response(ref reader, out response);
                }

                reader.Skip();
            }

            attendees.Add(new GraphAttendee(address, type, response));
        }

        data.Attendees = attendees;
        return understood;
    }

    private static bool Categories(ref Utf8JsonReader reader, GraphEventData data)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var categories = new List<string?>();
        bool understood = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    categories.Add(reader.GetString());
                    break;
                case JsonTokenType.Null:
                    categories.Add(null);
                    break;
                default:
                    understood = false;
                    reader.Skip();
                    break;
            }
        }

        data.Categories = categories;
        return understood;
    }

    private static bool Stamps(ref Utf8JsonReader reader, GraphEventData data)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var stamps = new List<G.SingleValueLegacyExtendedProperty>();
        bool understood = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                understood = false;
                reader.Skip();
                continue;
            }

            string? id = null;
            string? value = null;
            while (NextProperty(ref reader, ref understood, out ReadOnlySpan<byte> name))
            {
                if (name.SequenceEqual("id"u8))
                {
                    understood &= Text(ref reader, out id);
                }
                else if (name.SequenceEqual("value"u8))
                {
                    understood &= Text(ref reader, out value);
                }

                reader.Skip();
            }

            stamps.Add(new G.SingleValueLegacyExtendedProperty { Id = id, Value = value });
        }

        data.SetStamps(stamps);
        return understood;
    }

    private static EventField EventFieldOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => EventField.Id,
        3 when name.SequenceEqual("end"u8) => EventField.End,
        4 when name.SequenceEqual("type"u8) => EventField.Type,
        4 when name.SequenceEqual("body"u8) => EventField.Body,
        5 when name.SequenceEqual("start"u8) => EventField.Start,
        6 when name.SequenceEqual("showAs"u8) => EventField.ShowAs,
        7 when name.SequenceEqual("subject"u8) => EventField.Subject,
        7 when name.SequenceEqual("iCalUId"u8) => EventField.ICalUId,
        8 when name.SequenceEqual("isAllDay"u8) => EventField.IsAllDay,
        8 when name.SequenceEqual("location"u8) => EventField.Location,
        8 when name.SequenceEqual("@removed"u8) => EventField.Removed,
        9 when name.SequenceEqual("changeKey"u8) => EventField.ChangeKey,
        9 when name.SequenceEqual("attendees"u8) => EventField.Attendees,
        9 when name.SequenceEqual("organizer"u8) => EventField.Organizer,
        10 when name.SequenceEqual("categories"u8) => EventField.Categories,
        10 when name.SequenceEqual("recurrence"u8) => EventField.Recurrence,
        11 when name.SequenceEqual("isOrganizer"u8) => EventField.IsOrganizer,
        11 when name.SequenceEqual("sensitivity"u8) => EventField.Sensitivity,
        11 when name.SequenceEqual("isCancelled"u8) => EventField.IsCancelled,
        12 when name.SequenceEqual("isReminderOn"u8) => EventField.IsReminderOn,
        13 when name.SequenceEqual("originalStart"u8) => EventField.OriginalStart,
        13 when name.SequenceEqual("onlineMeeting"u8) => EventField.OnlineMeeting,
        14 when name.SequenceEqual("seriesMasterId"u8) => EventField.SeriesMasterId,
        14 when name.SequenceEqual("responseStatus"u8) => EventField.ResponseStatus,
        16 when name.SequenceEqual("onlineMeetingUrl"u8) => EventField.OnlineMeetingUrl,
        19 when name.SequenceEqual("originalEndTimeZone"u8) => EventField.OriginalEndTimeZone,
        20 when name.SequenceEqual("lastModifiedDateTime"u8) => EventField.LastModifiedDateTime,
        21 when name.SequenceEqual("originalStartTimeZone"u8) => EventField.OriginalStartTimeZone,
        26 when name.SequenceEqual("reminderMinutesBeforeStart"u8) => EventField.ReminderMinutesBeforeStart,
        29 when name.SequenceEqual("singleValueExtendedProperties"u8) => EventField.SingleValueExtendedProperties,
        _ => EventField.Unknown,
    };

    private enum EventField
    {
        Unknown,
        Escaped,
        Removed,
        Id,
        ChangeKey,
        ICalUId,
        Subject,
        Type,
        SeriesMasterId,
        OriginalStart,
        LastModifiedDateTime,
        Body,
        Start,
        End,
        OriginalStartTimeZone,
        OriginalEndTimeZone,
        IsAllDay,
        Location,
        OnlineMeeting,
        OnlineMeetingUrl,
        Attendees,
        IsOrganizer,
        Organizer,
        ShowAs,
        Sensitivity,
        IsReminderOn,
        ReminderMinutesBeforeStart,
        Categories,
        IsCancelled,
        ResponseStatus,
        Recurrence,
        SingleValueExtendedProperties,
    }

    /// <summary>
    /// An enum's values by name as Kiota reads them: a wire name (<c>[EnumMember]</c>) exactly, else a member name in any casing
    /// (<see cref="EnumHelpers"/>, <c>Enum.TryParse(ignoreCase: true)</c>). Anything else is left to the SDK.
    /// </summary>
    private static class EnumNames<T>
        where T : struct, Enum
    {
        private static readonly FrozenDictionary<string, T> WireNames = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.GetCustomAttribute<EnumMemberAttribute>()?.Value is not null)
            .ToFrozenDictionary(f => f.GetCustomAttribute<EnumMemberAttribute>()!.Value!, f => (T)f.GetValue(null)!, StringComparer.Ordinal);

        private static readonly FrozenDictionary<string, T> MemberNames = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToFrozenDictionary(f => f.Name, f => (T)f.GetValue(null)!, StringComparer.OrdinalIgnoreCase);

        public static T? Find(string text)
            => WireNames.TryGetValue(text, out T wire) ? wire
                : MemberNames.TryGetValue(text, out T member) ? member
                : null;
    }
}
