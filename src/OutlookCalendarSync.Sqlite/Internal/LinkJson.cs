using System.Text.Json;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Sqlite.Internal;

/// <summary>The JSON document an <see cref="EventLink"/> is stored as: its versions, hashes and the base snapshots (see <see cref="EventJson"/>).</summary>
internal static class LinkJson
{
    public static string Serialize(EventLink link)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("localId", link.LocalId);
            writer.WriteString("remoteId", link.RemoteId);
            WriteIfNotNull(writer, "iCalUId", link.ICalUId);
            WriteIfNotNull(writer, "localVersion", link.LocalVersion);
            WriteIfNotNull(writer, "remoteVersion", link.RemoteVersion);
            writer.WriteNumber("localHash", link.LocalHash);
            writer.WriteNumber("remoteHash", link.RemoteHash);
            writer.WritePropertyName("base");
            EventJson.Write(writer, link.Base);
            if (link.LocalBase is { } localBase)
            {
                writer.WritePropertyName("localBase");
                EventJson.Write(writer, localBase);
            }

            if (link.RemoteBase is { } remoteBase)
            {
                writer.WritePropertyName("remoteBase");
                EventJson.Write(writer, remoteBase);
            }

            WriteEvents(writer, "pendingLocal", link.PendingLocal);
            WriteEvents(writer, "pendingRemote", link.PendingRemote);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static EventLink Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        return new EventLink(root.GetProperty("localId").GetString()!, root.GetProperty("remoteId").GetString()!, EventJson.Read(root.GetProperty("base")))
        {
            ICalUId = OptionalString(root, "iCalUId"),
            LocalVersion = OptionalString(root, "localVersion"),
            RemoteVersion = OptionalString(root, "remoteVersion"),
            LocalHash = root.GetProperty("localHash").GetUInt64(),
            RemoteHash = root.GetProperty("remoteHash").GetUInt64(),
            LocalBase = root.TryGetProperty("localBase", out JsonElement localBase) ? EventJson.Read(localBase) : null,
            RemoteBase = root.TryGetProperty("remoteBase", out JsonElement remoteBase) ? EventJson.Read(remoteBase) : null,
            PendingLocal = ReadEvents(root, "pendingLocal"),
            PendingRemote = ReadEvents(root, "pendingRemote"),
        };
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
            EventJson.Write(writer, e);
        }

        writer.WriteEndArray();
    }

    private static CalendarEvent[] ReadEvents(JsonElement json, string name)
        => json.TryGetProperty(name, out JsonElement array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(EventJson.Read).ToArray()
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
