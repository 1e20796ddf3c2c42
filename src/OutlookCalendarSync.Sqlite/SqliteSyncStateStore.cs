using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NodaTime;
using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Sqlite.Internal;

namespace OutlookCalendarSync.Sqlite;

/// <summary>
/// An <see cref="ISyncStateStore"/> in a SQLite file: each user's state in one row, each link in a row of its own, and a lease row
/// per user that only one process can hold at a time.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SaveAsync"/> is one transaction that succeeds only if the stored revision is still <see cref="SyncState.Revision"/>.
/// It writes only the links that changed: links this instance loaded or saved and that are still the same objects are not written
/// again (so a run over 100,000 links that changes ten writes about ten rows); otherwise it compares with the stored rows.
/// To recognise unchanged links the store keeps a reference to each user's last loaded or saved <see cref="LinkCollection"/>.
/// </para>
/// <para>
/// Leases are rows with a token and an expiry read from the injected clock; taking one is a single conditional upsert, so two
/// processes sharing the file never both hold it. Microsoft.Data.Sqlite has no truly asynchronous I/O, so the asynchronous methods
/// complete synchronously.
/// </para>
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the file.</threadsafety>
public sealed class SqliteSyncStateStore : ISyncStateStore
{
    private readonly SqliteDatabase _database;
    private readonly IClock _clock;
    private readonly ConcurrentDictionary<string, KnownLinks> _knownLinks = new(StringComparer.Ordinal);

    /// <summary>Creates a store that reads the system clock.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public SqliteSyncStateStore(SqliteStoreOptions options)
        : this(options, SystemClock.Instance)
    {
    }

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="clock">The clock that decides when leases expire; a <c>FakeClock</c> in tests.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public SqliteSyncStateStore(SqliteStoreOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _database = SqliteDatabase.FromOptions(options);
        _clock = clock;
    }

    /// <inheritdoc />
    public Task<SyncState?> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        (SyncState? state, string? stamp) = _database.Read((connection, transaction) =>
        {
            (SyncState State, string Stamp)? row = ReadStateRow(connection, transaction, userId);
            if (row is not { } found)
            {
                return ((SyncState?)null, (string?)null);
            }

            var links = new List<EventLink>();
            using SqliteCommand command = connection.Command(transaction, "SELECT document FROM sync_links WHERE user_id = $user;", ("$user", userId));
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                links.Add(LinkJson.Deserialize(reader.GetString(0)));
            }

            return (found.State with { Links = LinkCollection.Create(links) }, found.Stamp);
        });

        if (state is null)
        {
            _knownLinks.TryRemove(userId, out _);
        }
        else
        {
            _knownLinks[userId] = new KnownLinks(stamp!, state.Links);
        }

        return Task.FromResult(state);
    }

    /// <inheritdoc />
    /// <exception cref="SyncStateConflictException">The stored revision is not <see cref="SyncState.Revision"/>.</exception>
    public Task<SyncState> SaveAsync(SyncState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        string userId = state.UserId;
        string newStamp = NewStamp();
        SyncState saved = _database.Write((connection, transaction) =>
        {
            (long Revision, string Stamp)? stored = ReadRevision(connection, transaction, userId);
            long storedRevision = stored?.Revision ?? 0;
            if (storedRevision != state.Revision)
            {
                throw new SyncStateConflictException(
                    $"The sync state of user '{userId}' was saved by another run since it was read (read at revision {state.Revision}, "
                    + $"stored revision {storedRevision}): nothing was saved. Load the state again and retry; the next run repairs anything this one wrote.");
            }

            if (stored is { } row && _knownLinks.TryGetValue(userId, out KnownLinks? known) && known.Stamp == row.Stamp)
            {
                WriteChangedLinks(connection, transaction, userId, known.Links, state.Links);
            }
            else if (stored is not null)
            {
                WriteLinksThatDifferFromStored(connection, transaction, userId, state.Links);
            }
            else
            {
                connection.Execute(transaction, "DELETE FROM sync_links WHERE user_id = $user;", ("$user", userId));
                using var insert = new LinkWriter(connection, transaction, userId);
                foreach (EventLink link in state.Links)
                {
                    insert.Insert(link);
                }
            }

            SyncState next = state with { Revision = storedRevision + 1 };
            WriteStateRow(connection, transaction, next, newStamp);
            return next;
        });

        _knownLinks[userId] = new KnownLinks(newStamp, saved.Links);
        return Task.FromResult(saved);
    }

    /// <inheritdoc />
    public Task SaveLinksAsync(string userId, IReadOnlyCollection<EventLink> upserts, IReadOnlyCollection<string> removedLocalIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(removedLocalIds);
        cancellationToken.ThrowIfCancellationRequested();
        string newStamp = NewStamp();
        string? previousStamp = _database.Write((connection, transaction) =>
        {
            (long Revision, string Stamp)? stored = ReadRevision(connection, transaction, userId);
            if (stored is null)
            {
                WriteStateRow(connection, transaction, new SyncState(userId), newStamp);
            }
            else
            {
                connection.Execute(transaction, "UPDATE sync_states SET links_stamp = $stamp WHERE user_id = $user;", ("$stamp", newStamp), ("$user", userId));
            }

            using var writer = new LinkWriter(connection, transaction, userId);
            foreach (string localId in removedLocalIds)
            {
                writer.Delete(localId);
            }

            foreach (EventLink link in upserts)
            {
                writer.Upsert(link);
            }

            return stored?.Stamp;
        });

        // Keep recognising unchanged links when this instance knew exactly what was stored before.
        if (previousStamp is not null && _knownLinks.TryGetValue(userId, out KnownLinks? known) && known.Stamp == previousStamp)
        {
            // Recorded, not applied: a run journals one link at a time, and copying every link each time would cost the square
            // of the number of events.
            known.Record(newStamp, removedLocalIds, upserts);
        }
        else
        {
            _knownLinks.TryRemove(userId, out _);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        _database.Write((connection, transaction) =>
        {
            connection.Execute(transaction, "DELETE FROM sync_links WHERE user_id = $user;", ("$user", userId));
            return connection.Execute(transaction, "DELETE FROM sync_states WHERE user_id = $user;", ("$user", userId));
        });
        _knownLinks.TryRemove(userId, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (duration <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease must last a positive duration.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        Instant now = _clock.GetCurrentInstant();
        var lease = new SyncLease(userId, Guid.NewGuid().ToString("N"), now + duration);

        // One statement: a free or expired lease is taken over, a held one is left alone (no row changes).
        int taken = _database.Write((connection, transaction) => connection.Execute(
            transaction,
            """
            INSERT INTO sync_leases (user_id, token, expires_at_ticks) VALUES ($user, $token, $expires)
            ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, expires_at_ticks = excluded.expires_at_ticks
            WHERE sync_leases.expires_at_ticks <= $now;
            """,
            ("$user", userId),
            ("$token", lease.Token),
            ("$expires", lease.ExpiresAt.ToUnixTimeTicks()),
            ("$now", now.ToUnixTimeTicks())));
        return Task.FromResult(taken == 1 ? lease : null);
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        _database.Write((connection, transaction) => connection.Execute(
            transaction, "DELETE FROM sync_leases WHERE user_id = $user AND token = $token;", ("$user", lease.UserId), ("$token", lease.Token)));
        return Task.CompletedTask;
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private static (long Revision, string Stamp)? ReadRevision(SqliteConnection connection, SqliteTransaction transaction, string userId)
    {
        using SqliteCommand command = connection.Command(transaction, "SELECT revision, links_stamp FROM sync_states WHERE user_id = $user;", ("$user", userId));
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static (SyncState State, string Stamp)? ReadStateRow(SqliteConnection connection, SqliteTransaction transaction, string userId)
    {
        using SqliteCommand command = connection.Command(
            transaction,
            """
            SELECT revision, links_stamp, status, local_cursor, remote_cursor, remote_cursor_window, pending_local_ids, pending_remote_ids,
                   is_interrupted, first_sync_at, last_sync_at, last_error
            FROM sync_states WHERE user_id = $user;
            """,
            ("$user", userId));
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var state = new SyncState(userId)
        {
            Revision = reader.GetInt64(0),
            Status = Enum.Parse<SyncStatus>(reader.GetString(2)),
            LocalCursor = reader.IsDBNull(3) ? null : reader.GetString(3),
            RemoteCursor = reader.IsDBNull(4) ? null : reader.GetString(4),
            RemoteCursorWindow = reader.IsDBNull(5) ? null : ParseWindow(reader.GetString(5)),
            PendingLocalIds = ParseIds(reader.GetString(6)),
            PendingRemoteIds = ParseIds(reader.GetString(7)),
            IsInterrupted = reader.GetBoolean(8),
            FirstSyncAt = reader.IsDBNull(9) ? null : EventJson.ParseInstant(reader.GetString(9)),
            LastSyncAt = reader.IsDBNull(10) ? null : EventJson.ParseInstant(reader.GetString(10)),
            LastError = reader.IsDBNull(11) ? null : reader.GetString(11),
        };
        return (state, reader.GetString(1));
    }

    private static void WriteStateRow(SqliteConnection connection, SqliteTransaction transaction, SyncState state, string stamp)
        => connection.Execute(
            transaction,
            """
            INSERT INTO sync_states (user_id, revision, links_stamp, status, local_cursor, remote_cursor, remote_cursor_window,
                                     pending_local_ids, pending_remote_ids, is_interrupted, first_sync_at, last_sync_at, last_error)
            VALUES ($user, $revision, $stamp, $status, $localCursor, $remoteCursor, $window, $pendingLocal, $pendingRemote,
                    $interrupted, $firstSync, $lastSync, $lastError)
            ON CONFLICT (user_id) DO UPDATE SET
                revision = excluded.revision, links_stamp = excluded.links_stamp, status = excluded.status,
                local_cursor = excluded.local_cursor, remote_cursor = excluded.remote_cursor, remote_cursor_window = excluded.remote_cursor_window,
                pending_local_ids = excluded.pending_local_ids, pending_remote_ids = excluded.pending_remote_ids,
                is_interrupted = excluded.is_interrupted, first_sync_at = excluded.first_sync_at, last_sync_at = excluded.last_sync_at,
                last_error = excluded.last_error;
            """,
            ("$user", state.UserId),
            ("$revision", state.Revision),
            ("$stamp", stamp),
            ("$status", state.Status.ToString()),
            ("$localCursor", state.LocalCursor),
            ("$remoteCursor", state.RemoteCursor),
            ("$window", state.RemoteCursorWindow is { } window ? FormatWindow(window) : null),
            ("$pendingLocal", JsonSerializer.Serialize(state.PendingLocalIds.Order(StringComparer.Ordinal).ToArray())),
            ("$pendingRemote", JsonSerializer.Serialize(state.PendingRemoteIds.Order(StringComparer.Ordinal).ToArray())),
            ("$interrupted", state.IsInterrupted),
            ("$firstSync", state.FirstSyncAt is { } first ? EventJson.FormatInstant(first) : null),
            ("$lastSync", state.LastSyncAt is { } last ? EventJson.FormatInstant(last) : null),
            ("$lastError", state.LastError));

    private static void WriteChangedLinks(SqliteConnection connection, SqliteTransaction transaction, string userId, LinkCollection stored, LinkCollection links)
    {
        using var writer = new LinkWriter(connection, transaction, userId);
        foreach (EventLink old in stored)
        {
            if (links.FindByLocalId(old.LocalId) is null)
            {
                writer.Delete(old.LocalId);
            }
        }

        foreach (EventLink link in links)
        {
            if (!ReferenceEquals(stored.FindByLocalId(link.LocalId), link))
            {
                writer.Upsert(link);
            }
        }
    }

    private static void WriteLinksThatDifferFromStored(SqliteConnection connection, SqliteTransaction transaction, string userId, LinkCollection links)
    {
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        using (SqliteCommand command = connection.Command(transaction, "SELECT local_id, document FROM sync_links WHERE user_id = $user;", ("$user", userId)))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored[reader.GetString(0)] = reader.GetString(1);
            }
        }

        using var writer = new LinkWriter(connection, transaction, userId);
        foreach (string localId in stored.Keys)
        {
            if (links.FindByLocalId(localId) is null)
            {
                writer.Delete(localId);
            }
        }

        foreach (EventLink link in links)
        {
            string document = LinkJson.Serialize(link);
            if (!stored.TryGetValue(link.LocalId, out string? storedDocument) || storedDocument != document)
            {
                writer.Upsert(link, document);
            }
        }
    }

    private static string FormatWindow(Interval window)
        => JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["start"] = window.HasStart ? EventJson.FormatInstant(window.Start) : null,
            ["end"] = window.HasEnd ? EventJson.FormatInstant(window.End) : null,
        });

    private static Interval ParseWindow(string json)
    {
        Dictionary<string, string?> bounds = JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
        Instant? start = bounds.GetValueOrDefault("start") is { } s ? EventJson.ParseInstant(s) : null;
        Instant? end = bounds.GetValueOrDefault("end") is { } e ? EventJson.ParseInstant(e) : null;
        return new Interval(start, end);
    }

    private static HashSet<string> ParseIds(string json)
        => new(JsonSerializer.Deserialize<string[]>(json) ?? [], StringComparer.Ordinal);

    /// <summary>
    /// The links known to be stored for a user, as of a links stamp: a collection plus the journaled changes since, applied in
    /// one pass (<see cref="LinkCollection"/> copied once) when the links are next needed.
    /// </summary>
    private sealed class KnownLinks(string stamp, LinkCollection links)
    {
        private readonly List<(IEnumerable<string> RemovedLocalIds, IEnumerable<EventLink> Upserts)> _pending = [];
        private readonly object _gate = new();
        private LinkCollection _links = links;

        public string Stamp { get; private set; } = stamp;

        public LinkCollection Links
        {
            get
            {
                lock (_gate)
                {
                    if (_pending.Count > 0)
                    {
                        _links = _links.With(_pending);
                        _pending.Clear();
                    }

                    return _links;
                }
            }
        }

        public void Record(string newStamp, IEnumerable<string> removedLocalIds, IEnumerable<EventLink> upserts)
        {
            lock (_gate)
            {
                _pending.Add((removedLocalIds.ToArray(), upserts.ToArray()));
                Stamp = newStamp;
            }
        }
    }

    /// <summary>Prepared statements that insert, replace and delete one user's link rows.</summary>
    private sealed class LinkWriter : IDisposable
    {
        private readonly SqliteCommand _deleteByEitherId;
        private readonly SqliteCommand _deleteByLocalId;
        private readonly SqliteCommand _insert;

        public LinkWriter(SqliteConnection connection, SqliteTransaction transaction, string userId)
        {
            _deleteByEitherId = connection.Command(
                transaction, "DELETE FROM sync_links WHERE user_id = $user AND (local_id = $local OR remote_id = $remote);", ("$user", userId), ("$local", string.Empty), ("$remote", string.Empty));
            _deleteByLocalId = connection.Command(transaction, "DELETE FROM sync_links WHERE user_id = $user AND local_id = $local;", ("$user", userId), ("$local", string.Empty));
            _insert = connection.Command(
                transaction,
                "INSERT INTO sync_links (user_id, local_id, remote_id, document) VALUES ($user, $local, $remote, $document);",
                ("$user", userId),
                ("$local", string.Empty),
                ("$remote", string.Empty),
                ("$document", string.Empty));
        }

        /// <summary>Adds or replaces a link, matched by host id or Outlook id (as <see cref="LinkCollection.With(IEnumerable{string}, IEnumerable{EventLink})"/> does).</summary>
        public void Upsert(EventLink link, string? document = null)
        {
            _deleteByEitherId.Parameters["$local"].Value = link.LocalId;
            _deleteByEitherId.Parameters["$remote"].Value = link.RemoteId;
            _deleteByEitherId.ExecuteNonQuery();
            Insert(link, document);
        }

        public void Insert(EventLink link, string? document = null)
        {
            _insert.Parameters["$local"].Value = link.LocalId;
            _insert.Parameters["$remote"].Value = link.RemoteId;
            _insert.Parameters["$document"].Value = document ?? LinkJson.Serialize(link);
            _insert.ExecuteNonQuery();
        }

        public void Delete(string localId)
        {
            _deleteByLocalId.Parameters["$local"].Value = localId;
            _deleteByLocalId.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _deleteByEitherId.Dispose();
            _deleteByLocalId.Dispose();
            _insert.Dispose();
        }
    }
}
