using System.Text.Json;
using NodaTime;
using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>The engine's view of a user's state between runs: the header's columns, its own data, and the links.</summary>
/// <remarks>
/// Stored through <see cref="ISyncStateStore"/> as a <see cref="SyncStateHeader"/> (the pending ids and the interrupted flag in its
/// <see cref="SyncStateHeader.EngineData"/>) and one <see cref="StoredLink"/> per link (<see cref="LinkPayload"/>). The cursors are
/// saved together with the links they produced, so a cursor is never ahead of the links.
/// </remarks>
internal sealed record SyncState
{
    private const int EngineDataFormat = 1;

    public SyncState(string userId)
    {
        UserId = Guard.UserId(userId);
    }

    public string UserId { get; init; }

    /// <summary>The revision this state was read at; 0 for a state never saved.</summary>
    public long Revision { get; init; }

    public SyncStatus Status { get; init; } = SyncStatus.Active;

    /// <summary>
    /// The links: all of them (a never-saved user, a full load), or the part of them a run loaded by id, which knows the user's
    /// total (<see cref="LinkCollection.TotalCount"/>).
    /// </summary>
    public LinkCollection Links { get; init; } = LinkCollection.Empty;

    /// <summary>
    /// False when the header does not say how many links the user has (a state saved by a version before the count was kept): the
    /// run then loads every link once, and saves the count.
    /// </summary>
    public bool IsLinkCountKnown { get; init; } = true;

    public string? LocalCursor { get; init; }

    public string? RemoteCursor { get; init; }

    public Interval? RemoteCursorWindow { get; init; }

    /// <summary>
    /// Host events to read again by id on the next run unless its feed reports them: changes that could not be applied yet, and
    /// events this run created (so a deletion right after is never missed).
    /// </summary>
    public IReadOnlySet<string> PendingLocalIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Outlook events to read again by id on the next run (see <see cref="PendingLocalIds"/>).</summary>
    public IReadOnlySet<string> PendingRemoteIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// True when a run started writing and stopped before its final save (a crash or a cancellation). The next run then reads both
    /// calendars in full, so it recognises every write the interrupted run made, including events deleted since.
    /// </summary>
    public bool IsInterrupted { get; init; }

    public Instant? FirstSyncAt { get; init; }

    public Instant? LastSyncAt { get; init; }

    public Instant? NextSyncAt { get; init; }

    public string? LastError { get; init; }

    public bool IsFirstSync => FirstSyncAt is null;

    /// <summary>The state of a stored header and all its links.</summary>
    public static SyncState From(SyncStateHeader header, IEnumerable<StoredLink> links)
        => FromHeader(header) with { Links = LinkCollection.Create(links.Select(LinkPayload.FromStored)), IsLinkCountKnown = true };

    /// <summary>The state of a stored header, with none of its links loaded yet (<see cref="Links"/> is partial).</summary>
    public static SyncState FromHeader(SyncStateHeader header)
    {
        var state = new SyncState(header.UserId)
        {
            Revision = header.Revision,
            Status = header.Status,
            IsLinkCountKnown = false,
            Links = LinkCollection.Partial([], 0),
            LocalCursor = header.HostCursor,
            RemoteCursor = header.OutlookCursor,
            RemoteCursorWindow = header.OutlookCursorWindow,
            FirstSyncAt = header.FirstSyncAt,
            LastSyncAt = header.LastSyncAt,
            NextSyncAt = header.NextSyncAt,
            LastError = header.LastError,
        };
        return header.EngineData is { } data ? state.WithEngineData(data) : state;
    }

    /// <summary>The header row of this state; its revision is the one the state was read at.</summary>
    public SyncStateHeader ToHeader() => new(UserId)
    {
        Revision = Revision,
        Status = Status,
        HostCursor = LocalCursor,
        OutlookCursor = RemoteCursor,
        OutlookCursorWindow = RemoteCursorWindow,
        FirstSyncAt = FirstSyncAt,
        LastSyncAt = LastSyncAt,
        NextSyncAt = NextSyncAt,
        LastError = LastError,
        EngineData = EngineData(),
    };

    /// <summary>The engine's own columns as one versioned JSON value.</summary>
    /// <remarks>
    /// <c>links</c> is the number of links the user has after the save, so an incremental run can apply the mass-deletion guard
    /// without loading them all. A journal save during a run keeps the count the run started with; it is marked interrupted, and
    /// a run after an interruption loads every link anyway.
    /// </remarks>
    private string EngineData()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", EngineDataFormat);
            writer.WriteNumber("links", Links.TotalCount);
            if (IsInterrupted)
            {
                writer.WriteBoolean("interrupted", true);
            }

            WriteIds(writer, "pendingHost", PendingLocalIds);
            WriteIds(writer, "pendingOutlook", PendingRemoteIds);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private SyncState WithEngineData(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            JsonElement root = document.RootElement;
            int format = root.TryGetProperty("v", out JsonElement v) ? v.GetInt32() : 0;
            if (format is < 1 or > EngineDataFormat)
            {
                throw new OutlookCalendarSyncException(
                    $"The sync state of user '{UserId}' was saved by a newer version of OutlookCalendarSync (engine data format {format}); upgrade the library, or reset the user's sync state.");
            }

            bool counted = root.TryGetProperty("links", out JsonElement count) && count.TryGetInt32(out int links) && links >= 0;
            return this with
            {
                IsLinkCountKnown = counted,
                Links = counted ? LinkCollection.Partial([], count.GetInt32()) : Links,
                IsInterrupted = root.TryGetProperty("interrupted", out JsonElement interrupted) && interrupted.GetBoolean(),
                PendingLocalIds = ReadIds(root, "pendingHost"),
                PendingRemoteIds = ReadIds(root, "pendingOutlook"),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new OutlookCalendarSyncException(
                $"The engine data of user '{UserId}' cannot be read ({ex.Message}); the state store returned a value it was not given. Reset the user's sync state.", ex);
        }
    }

    private static void WriteIds(Utf8JsonWriter writer, string name, IReadOnlySet<string> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (string id in ids.Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
    }

    private static HashSet<string> ReadIds(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement array) && array.ValueKind == JsonValueKind.Array
            ? new HashSet<string>(array.EnumerateArray().Select(id => id.GetString()!), StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
}
