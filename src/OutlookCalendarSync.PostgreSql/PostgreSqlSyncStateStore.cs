using NodaTime;
using Npgsql;
using NpgsqlTypes;
using OutlookCalendarSync.PostgreSql.Internal;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql;

/// <summary>
/// An <see cref="ISyncStateStore"/> in PostgreSQL: a header row per user (<c>sync_headers</c>), a row per link (<c>sync_links</c>,
/// unique host id and unique Outlook id per user) and a lease row per user (<c>sync_leases</c>), in the configured schema.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SaveAsync"/> is one transaction: a conditional write of the header (the stored revision must be the expected one) that
/// also locks the user's state, then one batch of two statements for the links, whatever their number (ids and payloads go in as
/// arrays). A save therefore costs a constant number of statements and writes O(changed links) rows.
/// </para>
/// <para>
/// Leases are rows with a token and an expiry read from the injected clock; taking, renewing and releasing one are single
/// conditional statements, so any number of processes on any number of servers never both hold a user's lease. Expiry is judged by
/// the clock of the server that asks, so servers sharing the database need clocks that agree to well within a lease's duration (NTP).
/// </para>
/// </remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the database.</threadsafety>
public sealed class PostgreSqlSyncStateStore : ISyncStateStore
{
    private readonly PostgreSqlDatabase _database;
    private readonly IClock _clock;
    private readonly string _selectHeader;
    private readonly string _selectLinks;
    private readonly string _findLinks;
    private readonly string _insertFirstHeader;
    private readonly string _updateHeader;
    private readonly string _selectRevision;
    private readonly string _deleteReplacedLinks;
    private readonly string _insertLinks;
    private readonly string _deleteUser;
    private readonly string _selectDue;
    private readonly string _acquireLease;
    private readonly string _renewLease;
    private readonly string _releaseLease;

    /// <summary>Creates a store that reads the system clock.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public PostgreSqlSyncStateStore(PostgreSqlStoreOptions options)
        : this(options, SystemClock.Instance)
    {
    }

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="clock">The clock that decides when leases expire; a <c>FakeClock</c> in tests.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public PostgreSqlSyncStateStore(PostgreSqlStoreOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _database = PostgreSqlDatabase.FromOptions(options);
        _clock = clock;
        const string HeaderColumns = "revision, status, host_cursor, outlook_cursor, has_outlook_cursor_window, outlook_cursor_window_start_ticks, "
            + "outlook_cursor_window_end_ticks, first_sync_at_ticks, last_sync_at_ticks, next_sync_at_ticks, last_error, engine_data";
        _selectHeader = _database.Sql($"SELECT {HeaderColumns} FROM {{schema}}.sync_headers WHERE user_id = @user;");
        _selectLinks = _database.Sql("SELECT host_id, outlook_id, payload FROM {schema}.sync_links WHERE user_id = @user;");
        _findLinks = _database.Sql(
            "SELECT host_id, outlook_id, payload FROM {schema}.sync_links WHERE user_id = @user AND (host_id = ANY(@hostIds) OR outlook_id = ANY(@outlookIds));");
        _insertFirstHeader = _database.Sql(
            $$"""
            INSERT INTO {schema}.sync_headers (user_id, {{HeaderColumns}})
            VALUES (@user, @revision, @status, @hostCursor, @outlookCursor, @hasWindow, @windowStart, @windowEnd, @firstSync, @lastSync, @nextSync, @lastError, @engineData)
            ON CONFLICT (user_id) DO NOTHING;
            """);
        _updateHeader = _database.Sql(
            """
            UPDATE {schema}.sync_headers SET
                revision = @revision, status = @status, host_cursor = @hostCursor, outlook_cursor = @outlookCursor,
                has_outlook_cursor_window = @hasWindow, outlook_cursor_window_start_ticks = @windowStart, outlook_cursor_window_end_ticks = @windowEnd,
                first_sync_at_ticks = @firstSync, last_sync_at_ticks = @lastSync, next_sync_at_ticks = @nextSync, last_error = @lastError, engine_data = @engineData
            WHERE user_id = @user AND revision = @expected;
            """);
        _selectRevision = _database.Sql("SELECT revision FROM {schema}.sync_headers WHERE user_id = @user;");
        _deleteReplacedLinks = _database.Sql("DELETE FROM {schema}.sync_links WHERE user_id = @user AND (host_id = ANY(@hostIds) OR outlook_id = ANY(@outlookIds));");
        _insertLinks = _database.Sql(
            "INSERT INTO {schema}.sync_links (user_id, host_id, outlook_id, payload) SELECT @user, h, o, p FROM unnest(@hostIds, @outlookIds, @payloads) AS t (h, o, p);");
        _deleteUser = _database.Sql("DELETE FROM {schema}.sync_links WHERE user_id = @user; DELETE FROM {schema}.sync_headers WHERE user_id = @user;");
        _selectDue = _database.Sql(
            """
            SELECT user_id FROM {schema}.sync_headers
            WHERE status = @active AND (next_sync_at_ticks IS NULL OR next_sync_at_ticks <= @now)
            ORDER BY next_sync_at_ticks NULLS FIRST, user_id
            LIMIT @limit;
            """);
        _acquireLease = _database.Sql(
            """
            INSERT INTO {schema}.sync_leases AS l (user_id, token, expires_at_ticks) VALUES (@user, @token, @expires)
            ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, expires_at_ticks = excluded.expires_at_ticks
            WHERE l.expires_at_ticks <= @now;
            """);
        _renewLease = _database.Sql(
            "UPDATE {schema}.sync_leases SET expires_at_ticks = @expires WHERE user_id = @user AND token = @token AND expires_at_ticks > @now;");
        _releaseLease = _database.Sql("DELETE FROM {schema}.sync_leases WHERE user_id = @user AND token = @token;");
    }

    /// <summary>Creates the schema and its tables, or brings them up to date, now rather than on the first call.</summary>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>A task that completes when the schema is up to date.</returns>
    /// <remarks>Optional: every call migrates first if needed. Safe to call from several processes at once.</remarks>
    public Task MigrateAsync(CancellationToken cancellationToken) => _database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<SyncStateHeader?> GetHeaderAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_selectHeader, connection);
        command.Parameters.AddWithValue("user", userId);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new SyncStateHeader(userId)
        {
            Revision = reader.GetInt64(0),
            Status = Enum.Parse<SyncStatus>(reader.GetString(1)),
            HostCursor = reader.IsDBNull(2) ? null : reader.GetString(2),
            OutlookCursor = reader.IsDBNull(3) ? null : reader.GetString(3),
            OutlookCursorWindow = reader.GetBoolean(4) ? new Interval(InstantOrNull(reader, 5), InstantOrNull(reader, 6)) : null,
            FirstSyncAt = InstantOrNull(reader, 7),
            LastSyncAt = InstantOrNull(reader, 8),
            NextSyncAt = InstantOrNull(reader, 9),
            LastError = reader.IsDBNull(10) ? null : reader.GetString(10),
            EngineData = reader.IsDBNull(11) ? null : reader.GetString(11),
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredLink>> GetLinksAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_selectLinks, connection);
        command.Parameters.AddWithValue("user", userId);
        return await ReadLinksAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredLink>> FindLinksAsync(string userId, IReadOnlyCollection<string> hostIds, IReadOnlyCollection<string> outlookIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(hostIds);
        ArgumentNullException.ThrowIfNull(outlookIds);
        if (hostIds.Count == 0 && outlookIds.Count == 0)
        {
            return [];
        }

        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_findLinks, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.Add(TextArray("hostIds", hostIds));
        command.Parameters.Add(TextArray("outlookIds", outlookIds));
        return await ReadLinksAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="SyncStateConflictException">The stored revision is not the expected one.</exception>
    public async Task<long> SaveAsync(SyncStateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        SyncStateHeader header = changes.Header;
        long expected = header.Revision;
        long next = checked(expected + 1);
        (List<string> replacedHostIds, List<string> replacedOutlookIds, List<StoredLink> inserted) = PlanLinkWrites(changes);

        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The header first: the conditional write decides the conflict and row-locks the user's state until commit, so concurrent saves
        // of one revision queue here and all but the first find the revision moved on.
        await using (var writeHeader = new NpgsqlCommand(expected == 0 ? _insertFirstHeader : _updateHeader, connection, transaction))
        {
            AddHeaderParameters(writeHeader, header, next);
            writeHeader.Parameters.AddWithValue("expected", expected);
            if (await writeHeader.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                await using var readRevision = new NpgsqlCommand(_selectRevision, connection, transaction);
                readRevision.Parameters.AddWithValue("user", changes.UserId);
                object? stored = await readRevision.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                throw new SyncStateConflictException(
                    $"The sync state of user '{changes.UserId}' was saved by another run since it was read (read at revision {expected}, "
                    + $"stored revision {stored ?? 0L}): nothing was saved. Load the state again and retry; the next run repairs anything this one wrote.");
            }
        }

        if (replacedHostIds.Count > 0 || replacedOutlookIds.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            var delete = new NpgsqlBatchCommand(_deleteReplacedLinks);
            delete.Parameters.AddWithValue("user", changes.UserId);
            delete.Parameters.Add(TextArray("hostIds", replacedHostIds));
            delete.Parameters.Add(TextArray("outlookIds", replacedOutlookIds));
            batch.BatchCommands.Add(delete);
            if (inserted.Count > 0)
            {
                var insert = new NpgsqlBatchCommand(_insertLinks);
                insert.Parameters.AddWithValue("user", changes.UserId);
                insert.Parameters.Add(TextArray("hostIds", inserted.ConvertAll(link => link.HostId)));
                insert.Parameters.Add(TextArray("outlookIds", inserted.ConvertAll(link => link.OutlookId)));
                insert.Parameters.Add(TextArray("payloads", inserted.ConvertAll(link => link.Payload)));
                batch.BatchCommands.Add(insert);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_deleteUser, connection, transaction);
        command.Parameters.AddWithValue("user", userId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetUsersDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_selectDue, connection);
        command.Parameters.AddWithValue("active", nameof(SyncStatus.Active));
        command.Parameters.AddWithValue("now", now.ToUnixTimeTicks());
        command.Parameters.AddWithValue("limit", limit);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var users = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(reader.GetString(0));
        }

        return users;
    }

    /// <inheritdoc />
    public async Task<SyncLease?> TryAcquireLeaseAsync(string userId, Duration duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        CheckDuration(duration);
        Instant now = _clock.GetCurrentInstant();
        var lease = new SyncLease(userId, Guid.NewGuid().ToString("N"), now + duration);

        // One statement: a free or expired lease is taken, a held one is left alone (no row changes); the row lock of the upsert makes
        // concurrent callers on any server see each other's result.
        int taken = await ExecuteLeaseAsync(_acquireLease, lease.UserId, lease.Token, lease.ExpiresAt, now, cancellationToken).ConfigureAwait(false);
        return taken == 1 ? lease : null;
    }

    /// <inheritdoc />
    public async Task<SyncLease?> RenewLeaseAsync(SyncLease lease, Duration duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        CheckDuration(duration);
        Instant now = _clock.GetCurrentInstant();
        var renewed = new SyncLease(lease.UserId, lease.Token, now + duration);
        int updated = await ExecuteLeaseAsync(_renewLease, lease.UserId, lease.Token, renewed.ExpiresAt, now, cancellationToken).ConfigureAwait(false);
        return updated == 1 ? renewed : null;
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(SyncLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_releaseLease, connection);
        command.Parameters.AddWithValue("user", lease.UserId);
        command.Parameters.AddWithValue("token", lease.Token);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Turns the ordered deletes and upserts into two set statements with the same outcome: every stored link with a deleted host id
    /// or with the host or Outlook id of any upsert goes, then the upserts no later upsert replaced are inserted.
    /// </summary>
    private static (List<string> ReplacedHostIds, List<string> ReplacedOutlookIds, List<StoredLink> Inserted) PlanLinkWrites(SyncStateChanges changes)
    {
        var replacedHostIds = new HashSet<string>(changes.DeletedHostIds, StringComparer.Ordinal);
        var replacedOutlookIds = new HashSet<string>(StringComparer.Ordinal);
        var byHostId = new Dictionary<string, StoredLink>(StringComparer.Ordinal);
        var byOutlookId = new Dictionary<string, StoredLink>(StringComparer.Ordinal);
        foreach (StoredLink link in changes.UpsertedLinks)
        {
            replacedHostIds.Add(link.HostId);
            replacedOutlookIds.Add(link.OutlookId);
            if (byHostId.Remove(link.HostId, out StoredLink? sameHost))
            {
                byOutlookId.Remove(sameHost.OutlookId);
            }

            if (byOutlookId.Remove(link.OutlookId, out StoredLink? sameOutlook))
            {
                byHostId.Remove(sameOutlook.HostId);
            }

            byHostId[link.HostId] = link;
            byOutlookId[link.OutlookId] = link;
        }

        return ([.. replacedHostIds], [.. replacedOutlookIds], [.. byHostId.Values]);
    }

    private static void AddHeaderParameters(NpgsqlCommand command, SyncStateHeader header, long revision)
    {
        command.Parameters.AddWithValue("user", header.UserId);
        command.Parameters.AddWithValue("revision", revision);
        command.Parameters.AddWithValue("status", header.Status.ToString());
        command.Parameters.Add(NullableText("hostCursor", header.HostCursor));
        command.Parameters.Add(NullableText("outlookCursor", header.OutlookCursor));
        command.Parameters.AddWithValue("hasWindow", header.OutlookCursorWindow.HasValue);
        Interval? window = header.OutlookCursorWindow;
        command.Parameters.Add(Ticks("windowStart", window is { HasStart: true } w1 ? w1.Start : null));
        command.Parameters.Add(Ticks("windowEnd", window is { HasEnd: true } w2 ? w2.End : null));
        command.Parameters.Add(Ticks("firstSync", header.FirstSyncAt));
        command.Parameters.Add(Ticks("lastSync", header.LastSyncAt));
        command.Parameters.Add(Ticks("nextSync", header.NextSyncAt));
        command.Parameters.Add(NullableText("lastError", header.LastError));
        command.Parameters.Add(NullableText("engineData", header.EngineData));
    }

    private async Task<int> ExecuteLeaseAsync(string sql, string userId, string token, Instant expires, Instant now, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("expires", expires.ToUnixTimeTicks());
        command.Parameters.AddWithValue("now", now.ToUnixTimeTicks());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void CheckDuration(Duration duration)
    {
        if (duration <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease must last a positive duration.");
        }
    }

    private static async Task<IReadOnlyList<StoredLink>> ReadLinksAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var links = new List<StoredLink>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            links.Add(new StoredLink(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return links;
    }

    private static Instant? InstantOrNull(NpgsqlDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(ordinal));

    private static NpgsqlParameter TextArray(string name, IEnumerable<string> values)
        => new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values as string[] ?? [.. values] };

    private static NpgsqlParameter NullableText(string name, string? value)
        => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Ticks(string name, Instant? value)
        => new(name, NpgsqlDbType.Bigint) { Value = value is { } instant ? instant.ToUnixTimeTicks() : DBNull.Value };
}
