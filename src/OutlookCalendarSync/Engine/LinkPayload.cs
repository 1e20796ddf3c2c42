using System.Text.Json;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// The engine's side of a <see cref="StoredLink"/>: an <see cref="EventLink"/>'s versions, hashes and base snapshots as a versioned
/// JSON payload (events in the <see cref="CalendarEventJson"/> format), which stores keep without reading.
/// </summary>
/// <remarks>
/// Format 0 is the document the SQLite store wrote before this port existed (no <c>"v"</c>; local/remote names); it is read as is.
/// Format 1: <c>{"v":1, "iCalUId", "hostVersion", "outlookVersion", "hostHash", "outlookHash", "hashVersion", "base", "hostBase",
/// "outlookBase", "pendingHost", "pendingOutlook"}</c>. A later format must still read every earlier one. A payload whose
/// <c>hashVersion</c> is not <see cref="CalendarEvent.ContentHashVersion"/> has its hashes recomputed from its base when read, so a
/// new synced field does not make every linked event look changed.
/// </remarks>
internal static class LinkPayload
{
    private const int Format = 1;

    public static StoredLink ToStored(EventLink link) => new(link.LocalId, link.RemoteId, JsonText.Write(link, WritePayload));

    private static void WritePayload(Utf8JsonWriter writer, EventLink link)
    {
        writer.WriteStartObject();
        writer.WriteNumber("v", Format);
        WriteIfNotNull(writer, "iCalUId", link.ICalUId);
        WriteIfNotNull(writer, "hostVersion", link.LocalVersion);
        WriteIfNotNull(writer, "outlookVersion", link.RemoteVersion);
        writer.WriteNumber("hostHash", link.LocalHash);
        writer.WriteNumber("outlookHash", link.RemoteHash);
        writer.WriteNumber("hashVersion", CalendarEvent.ContentHashVersion);
        writer.WritePropertyName("base");
        CalendarEventJson.Write(writer, link.Base);
        if (link.LocalBase is { } localBase)
        {
            writer.WritePropertyName("hostBase");
            CalendarEventJson.Write(writer, localBase);
        }

        if (link.RemoteBase is { } remoteBase)
        {
            writer.WritePropertyName("outlookBase");
            CalendarEventJson.Write(writer, remoteBase);
        }

        WriteEvents(writer, "pendingHost", link.PendingLocal);
        WriteEvents(writer, "pendingOutlook", link.PendingRemote);
        writer.WriteEndObject();
    }

    /// <exception cref="OutlookCalendarSyncException">The payload is not one this version can read.</exception>
    public static EventLink FromStored(StoredLink stored)
    {
        try
        {
            using var document = JsonDocument.Parse(stored.Payload);
            JsonElement root = document.RootElement;
            int format = root.TryGetProperty("v", out JsonElement v) ? v.GetInt32() : 0;
            if (format is < 0 or > Format)
            {
                throw new OutlookCalendarSyncException(
                    $"The link of host event '{stored.HostId}' was stored by a newer version of OutlookCalendarSync (payload format {format}); upgrade the library, or reset the user's sync state.");
            }

            (string host, string outlook) = format == 0 ? ("local", "remote") : ("host", "outlook");
            CalendarEvent baseEvent = CalendarEventJson.Read(root.GetProperty("base"));
            int hashVersion = format == 0 ? 1 : root.TryGetProperty("hashVersion", out JsonElement h) ? h.GetInt32() : 0;
            bool sameHash = hashVersion == CalendarEvent.ContentHashVersion;
            CalendarEvent? localBase = root.TryGetProperty(host + "Base", out JsonElement hostBase) ? CalendarEventJson.Read(hostBase) : null;
            CalendarEvent? remoteBase = root.TryGetProperty(outlook + "Base", out JsonElement outlookBase) ? CalendarEventJson.Read(outlookBase) : null;
            return new EventLink(stored.HostId, stored.OutlookId, baseEvent)
            {
                ICalUId = OptionalString(root, "iCalUId"),
                LocalVersion = OptionalString(root, host + "Version"),
                RemoteVersion = OptionalString(root, outlook + "Version"),

                // Hashes of another hash version are recomputed from what each side looked like when last in sync.
                LocalHash = sameHash ? root.GetProperty(host + "Hash").GetUInt64() : (localBase ?? baseEvent).ContentHash,
                RemoteHash = sameHash ? root.GetProperty(outlook + "Hash").GetUInt64() : (remoteBase ?? baseEvent).ContentHash,
                LocalBase = localBase,
                RemoteBase = remoteBase,
                PendingLocal = ReadEvents(root, format == 0 ? "pendingLocal" : "pendingHost"),
                PendingRemote = ReadEvents(root, format == 0 ? "pendingRemote" : "pendingOutlook"),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new OutlookCalendarSyncException(
                $"The stored link of host event '{stored.HostId}' cannot be read ({ex.Message}); the state store returned a payload it was not given. Reset the user's sync state.", ex);
        }
    }

    private static void WriteEvents(Utf8JsonWriter writer, string name, IReadOnlyList<CalendarEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (CalendarEvent e in events)
        {
            CalendarEventJson.Write(writer, e);
        }

        writer.WriteEndArray();
    }

    private static CalendarEvent[] ReadEvents(JsonElement json, string name)
        => json.TryGetProperty(name, out JsonElement array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(CalendarEventJson.Read).ToArray()
            : [];

    private static void WriteIfNotNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? OptionalString(JsonElement json, string name)
        => json.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
