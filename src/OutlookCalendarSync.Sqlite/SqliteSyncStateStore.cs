using System.Text.Json;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Sqlite.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite;

/// <summary>
/// An <see cref="ISyncStateStore"/> in a SQLite file: a header row per user (<c>sync_headers</c>), a row per link
/// (<c>sync_links</c>), and a lease row per user (<c>sync_leases</c>) that only one process can hold at a time.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SaveAsync"/> is one transaction that succeeds only if the stored revision is the expected one, and writes only the
/// rows the changes name: O(changed links). The store keeps nothing in memory between calls.
/// </para>
/// <para>
/// Leases are rows with a token and an expiry read from the injected clock; taking or renewing one is a single conditional
/// statement, so two processes sharing the file never both hold it. Microsoft.Data.Sqlite has no truly asynchronous I/O, so the
/// asynchronous methods complete synchronously.
/// </para>
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the file.</threadsafety>
public sealed class SqliteSyncStateStore : ISyncStateStore
{
    private static readonly InstantPattern InstantFormat = InstantPattern.ExtendedIso;
    private readonly SqliteDatabase _database;
    private readonly IClock _clock;

    /// <summary>
    /// The look-up of links by host ids and Outlook ids (each a JSON array): one index search per distinct id, whatever statistics
    /// SQLite has. <c>CROSS JOIN</c> makes SQLite loop over the ids and look each one up, by the primary key and then by the Outlook
    /// id index; the second half leaves out the links the first found, so each link comes once.
    /// </summary>
    /// <remarks>
    /// The former <c>host_id IN (…) OR outlook_id IN (…)</c> was planned, without <c>ANALYZE</c> statistics (a host's usual
    /// database), as a walk of all the user's links: about 0.1 s a look-up at 100,000 links, and a run makes several.
    /// </remarks>
    internal const string FindLinksSql =
        """
        SELECT l.host_id, l.outlook_id, l.payload
        FROM (SELECT DISTINCT value FROM json_each($hostIds)) AS h CROSS JOIN sync_links AS l
        WHERE l.user_id = $user AND l.host_id = h.value
        UNION ALL
        SELECT l.host_id, l.outlook_id, l.payload
        FROM (SELECT DISTINCT value FROM json_each($outlookIds)) AS o CROSS JOIN sync_links AS l
        WHERE l.user_id = $user AND l.outlook_id = o.value AND l.host_id NOT IN (SELECT value FROM json_each($hostIds));
        """;

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
    public Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((connection, transaction) => ReadHeader(connection, transaction, userId)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StoredLink> links = _database.Read((connection, transaction) =>
        {
            using SqliteCommand command = connection.Command(transaction, "SELECT host_id, outlook_id, payload FROM sync_links WHERE user_id = $user;", ("$user", userId));
            return ReadLinks(command);
        });
        return Task.FromResult(links);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(hostIds);
        ArgumentNullException.ThrowIfNull(outlookIds);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StoredLink> links = _database.Read((connection, transaction) =>
        {
            // The ids go in as one JSON array each: no statement per id, and no limit on the number of parameters.
            using SqliteCommand command = connection.Command(
                transaction,
                FindLinksSql,
                ("$user", userId),
                ("$hostIds", JsonSerializer.Serialize(hostIds)),
                ("$outlookIds", JsonSerializer.Serialize(outlookIds)));
            return ReadLinks(command);
        });
        return Task.FromResult(links);
    }

    /// <inheritdoc />
    /// <exception cref="SyncStateConflictException">The stored revision is not the expected one.</exception>
    public Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();
        string userId = changes.UserId;
        long revision = _database.Write((connection, transaction) =>
        {
            long storedRevision = connection.Scalar<long?>(transaction, "SELECT revision FROM sync_headers WHERE user_id = $user;", ("$user", userId)) ?? 0;
            if (storedRevision != changes.Header.Revision)
            {
                throw new SyncStateConflictException(
                    $"The sync state of user '{userId}' was saved by another run since it was read (read at revision {changes.Header.Revision}, "
                    + $"stored revision {storedRevision}): nothing was saved. Load the state again and retry; the next run repairs anything this one wrote.");
            }

            using (var writer = new LinkWriter(connection, userId))
            {
                foreach (string hostId in changes.DeletedHostIds)
                {
                    writer.Delete(hostId);
                }

                foreach (StoredLink link in changes.UpsertedLinks)
                {
                    writer.Upsert(link);
                }
            }

            WriteHeader(connection, transaction, changes.Header, storedRevision + 1);
            return storedRevision + 1;
        });
        return Task.FromResult(revision);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        cancellationToken.ThrowIfCancellationRequested();
        _database.Write((connection, transaction) =>
        {
            connection.Execute(transaction, "DELETE FROM sync_links WHERE user_id = $user;", ("$user", userId));
            return connection.Execute(transaction, "DELETE FROM sync_headers WHERE user_id = $user;", ("$user", userId));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<string> due = _database.Read((connection, transaction) =>
        {
            using SqliteCommand command = connection.Command(
                transaction,
                """
                SELECT user_id FROM sync_headers
                WHERE status = $active AND (next_sync_at_ticks IS NULL OR next_sync_at_ticks <= $now)
                ORDER BY next_sync_at_ticks IS NOT NULL, next_sync_at_ticks, user_id
                LIMIT $limit;
                """,
                ("$active", nameof(SyncStatus.Active)),
                ("$now", now.ToUnixTimeTicks()),
                ("$limit", limit));
            using SqliteDataReader reader = command.ExecuteReader();
            var users = new List<string>();
            while (reader.Read())
            {
                users.Add(reader.GetString(0));
            }

            return users;
        });
        return Task.FromResult(due);
    }

    /// <inheritdoc />
    public Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        CheckDuration(duration);
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
    public Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        CheckDuration(duration);
        cancellationToken.ThrowIfCancellationRequested();
        Instant now = _clock.GetCurrentInstant();
        var renewed = new SyncLease(lease.UserId, lease.Token, now + duration);
        int updated = _database.Write((connection, transaction) => connection.Execute(
            transaction,
            "UPDATE sync_leases SET expires_at_ticks = $expires WHERE user_id = $user AND token = $token AND expires_at_ticks > $now;",
            ("$user", lease.UserId),
            ("$token", lease.Token),
            ("$expires", renewed.ExpiresAt.ToUnixTimeTicks()),
            ("$now", now.ToUnixTimeTicks())));
        return Task.FromResult(updated == 1 ? renewed : null);
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

    private static void CheckDuration(Duration duration)
    {
        if (duration <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease must last a positive duration.");
        }
    }

    private static List<StoredLink> ReadLinks(SqliteCommand command)
    {
        using SqliteDataReader reader = command.ExecuteReader();
        var links = new List<StoredLink>();
        while (reader.Read())
        {
            links.Add(new StoredLink(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return links;
    }

    private static SyncStateHeader? ReadHeader(SqliteConnection connection, SqliteTransaction transaction, string userId)
    {
        using SqliteCommand command = connection.Command(
            transaction,
            """
            SELECT revision, status, host_cursor, outlook_cursor, outlook_cursor_window, first_sync_at, last_sync_at, next_sync_at_ticks,
                   last_error, engine_data
            FROM sync_headers WHERE user_id = $user;
            """,
            ("$user", userId));
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new SyncStateHeader(userId)
        {
            Revision = reader.GetInt64(0),
            Status = Enum.Parse<SyncStatus>(reader.GetString(1)),
            HostCursor = reader.IsDBNull(2) ? null : reader.GetString(2),
            OutlookCursor = reader.IsDBNull(3) ? null : reader.GetString(3),
            OutlookCursorWindow = reader.IsDBNull(4) ? null : ParseWindow(reader.GetString(4)),
            FirstSyncAt = reader.IsDBNull(5) ? null : InstantFormat.Parse(reader.GetString(5)).Value,
            LastSyncAt = reader.IsDBNull(6) ? null : InstantFormat.Parse(reader.GetString(6)).Value,
            NextSyncAt = reader.IsDBNull(7) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(7)),
            LastError = reader.IsDBNull(8) ? null : reader.GetString(8),
            EngineData = reader.IsDBNull(9) ? null : reader.GetString(9),
        };
    }

    private static void WriteHeader(SqliteConnection connection, SqliteTransaction transaction, SyncStateHeader header, long revision)
        => connection.Execute(
            transaction,
            """
            INSERT INTO sync_headers (user_id, revision, status, host_cursor, outlook_cursor, outlook_cursor_window, first_sync_at, last_sync_at,
                                      next_sync_at_ticks, last_error, engine_data)
            VALUES ($user, $revision, $status, $hostCursor, $outlookCursor, $window, $firstSync, $lastSync, $nextSync, $lastError, $engineData)
            ON CONFLICT (user_id) DO UPDATE SET
                revision = excluded.revision, status = excluded.status, host_cursor = excluded.host_cursor,
                outlook_cursor = excluded.outlook_cursor, outlook_cursor_window = excluded.outlook_cursor_window,
                first_sync_at = excluded.first_sync_at, last_sync_at = excluded.last_sync_at, next_sync_at_ticks = excluded.next_sync_at_ticks,
                last_error = excluded.last_error, engine_data = excluded.engine_data;
            """,
            ("$user", header.UserId),
            ("$revision", revision),
            ("$status", header.Status.ToString()),
            ("$hostCursor", header.HostCursor),
            ("$outlookCursor", header.OutlookCursor),
            ("$window", header.OutlookCursorWindow is { } window ? FormatWindow(window) : null),
            ("$firstSync", header.FirstSyncAt is { } first ? InstantFormat.Format(first) : null),
            ("$lastSync", header.LastSyncAt is { } last ? InstantFormat.Format(last) : null),
            ("$nextSync", header.NextSyncAt?.ToUnixTimeTicks()),
            ("$lastError", header.LastError),
            ("$engineData", header.EngineData));

    private static string FormatWindow(Interval window)
        => JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["start"] = window.HasStart ? InstantFormat.Format(window.Start) : null,
            ["end"] = window.HasEnd ? InstantFormat.Format(window.End) : null,
        });

    private static Interval ParseWindow(string json)
    {
        Dictionary<string, string?> bounds = JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
        Instant? start = bounds.GetValueOrDefault("start") is { } s ? InstantFormat.Parse(s).Value : null;
        Instant? end = bounds.GetValueOrDefault("end") is { } e ? InstantFormat.Parse(e).Value : null;
        return new Interval(start, end);
    }

    /// <summary>Prepared statements that upsert and delete one user's link rows, run once per link with new values (see <see cref="RowStatement"/>).</summary>
    private sealed class LinkWriter : IDisposable
    {
        private readonly RowStatement _deleteByHostId;
        private readonly RowStatement _replace;
        private readonly int _deleteHost;
        private readonly int _replaceHost;
        private readonly int _replaceOutlook;
        private readonly int _replacePayload;

        public LinkWriter(SqliteConnection connection, string userId)
        {
            _deleteByHostId = new RowStatement(connection, "DELETE FROM sync_links WHERE user_id = $user AND host_id = $host;");
            _deleteByHostId.Bind(_deleteByHostId.Index("$user"), userId);
            _deleteHost = _deleteByHostId.Index("$host");

            // OR REPLACE deletes every row the new one conflicts with, on the primary key (user, host id) and on the unique
            // (user, Outlook id) alike: one statement where a delete by either id and an insert were two.
            _replace = new RowStatement(connection, "INSERT OR REPLACE INTO sync_links (user_id, host_id, outlook_id, payload) VALUES ($user, $host, $outlook, $payload);");
            _replace.Bind(_replace.Index("$user"), userId);
            _replaceHost = _replace.Index("$host");
            _replaceOutlook = _replace.Index("$outlook");
            _replacePayload = _replace.Index("$payload");
        }

        /// <summary>Adds or replaces a link, replacing every row with its host id or its Outlook id.</summary>
        public void Upsert(StoredLink link)
        {
            _replace.Bind(_replaceHost, link.HostId);
            _replace.Bind(_replaceOutlook, link.OutlookId);
            _replace.Bind(_replacePayload, link.Payload);
            _replace.Execute();
        }

        public void Delete(string hostId)
        {
            _deleteByHostId.Bind(_deleteHost, hostId);
            _deleteByHostId.Execute();
        }

        public void Dispose()
        {
            _deleteByHostId.Dispose();
            _replace.Dispose();
        }
    }
}
