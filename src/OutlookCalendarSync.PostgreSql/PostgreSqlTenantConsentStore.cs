using Npgsql;
using NpgsqlTypes;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.PostgreSql.Internal;

namespace OutlookCalendarSync.PostgreSql;

/// <summary>
/// An <see cref="ITenantConsentStore"/> in PostgreSQL: one row per tenant in <c>tenant_consents</c>, keyed by the tenant in lower
/// case; a save older than the stored row (by <see cref="TenantConsent.CheckedAt"/>) leaves it. Every server of a farm reads the
/// same statuses.
/// </summary>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the database.</threadsafety>
internal sealed class PostgreSqlTenantConsentStore : ITenantConsentStore
{
    private readonly PostgreSqlDatabase _database;
    private readonly string _get;
    private readonly string _upsert;

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public PostgreSqlTenantConsentStore(PostgreSqlStoreOptions options)
    {
        _database = PostgreSqlDatabase.FromOptions(options);
        _get = _database.Sql("SELECT tenant_id, status, checked_at_ticks, next_check_at_ticks, detail FROM {schema}.tenant_consents WHERE tenant_key = @key;");
        _upsert = _database.Sql(
            """
            INSERT INTO {schema}.tenant_consents AS stored (tenant_key, tenant_id, status, checked_at_ticks, next_check_at_ticks, detail)
            VALUES (@key, @tenant, @status, @checked, @next, @detail)
            ON CONFLICT (tenant_key) DO UPDATE SET tenant_id = excluded.tenant_id, status = excluded.status,
                checked_at_ticks = excluded.checked_at_ticks, next_check_at_ticks = excluded.next_check_at_ticks, detail = excluded.detail
            WHERE excluded.checked_at_ticks >= stored.checked_at_ticks;
            """);
    }

    /// <inheritdoc />
    public async Task<TenantConsent?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_get, connection);
        command.Parameters.AddWithValue("key", tenantId.Trim().ToLowerInvariant());
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new TenantConsent
        {
            TenantId = reader.GetString(0),
            Status = Enum.TryParse(reader.GetString(1), out TenantConsentStatus status) ? status : TenantConsentStatus.Unknown,
            CheckedAt = Instant.FromUnixTimeTicks(reader.GetInt64(2)),
            NextCheckAt = reader.IsDBNull(3) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(3)),
            Detail = reader.IsDBNull(4) ? null : reader.GetString(4),
        };
    }

    /// <inheritdoc />
    public async Task SaveAsync(TenantConsent consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentException.ThrowIfNullOrWhiteSpace(consent.TenantId, nameof(consent));
        Instant checkedAt = consent.CheckedAt ?? throw new ArgumentException("A stored tenant status needs CheckedAt: the later check wins between servers.", nameof(consent));
        await using NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_upsert, connection);
        command.Parameters.AddWithValue("key", consent.TenantId.Trim().ToLowerInvariant());
        command.Parameters.AddWithValue("tenant", consent.TenantId);
        command.Parameters.AddWithValue("status", consent.Status.ToString());
        command.Parameters.AddWithValue("checked", checkedAt.ToUnixTimeTicks());
        command.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.Bigint) { Value = (object?)consent.NextCheckAt?.ToUnixTimeTicks() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("detail", NpgsqlDbType.Text) { Value = (object?)consent.Detail ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
