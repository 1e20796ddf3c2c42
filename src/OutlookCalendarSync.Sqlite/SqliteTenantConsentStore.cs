using Microsoft.Data.Sqlite;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Sqlite.Internal;

namespace OutlookCalendarSync.Sqlite;

/// <summary>
/// An <see cref="ITenantConsentStore"/> in a SQLite file: one row per tenant in <c>tenant_consents</c>, keyed by the tenant in lower
/// case; a save older than the stored row (by <see cref="TenantConsent.CheckedAt"/>) leaves it.
/// </summary>
/// <remarks>Microsoft.Data.Sqlite has no truly asynchronous I/O, so the asynchronous methods complete synchronously.</remarks>
/// <threadsafety>Safe for concurrent use by any number of threads and processes sharing the file.</threadsafety>
internal sealed class SqliteTenantConsentStore : ITenantConsentStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates a store.</summary>
    /// <param name="options">Where the database is.</param>
    /// <exception cref="ArgumentException">The options are not usable; the message says what to change.</exception>
    public SqliteTenantConsentStore(SqliteStoreOptions options)
    {
        _database = SqliteDatabase.FromOptions(options);
    }

    /// <inheritdoc />
    public Task<TenantConsent?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((connection, transaction) =>
        {
            using SqliteCommand command = connection.Command(
                transaction,
                "SELECT tenant_id, status, checked_at_ticks, next_check_at_ticks, detail FROM tenant_consents WHERE tenant_key = $key;",
                ("$key", tenantId.Trim().ToLowerInvariant()));
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read()
                ? new TenantConsent
                {
                    TenantId = reader.GetString(0),
                    Status = Enum.TryParse(reader.GetString(1), out TenantConsentStatus status) ? status : TenantConsentStatus.Unknown,
                    CheckedAt = Instant.FromUnixTimeTicks(reader.GetInt64(2)),
                    NextCheckAt = reader.IsDBNull(3) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(3)),
                    Detail = reader.IsDBNull(4) ? null : reader.GetString(4),
                }
                : null;
        }));
    }

    /// <inheritdoc />
    public Task SaveAsync(TenantConsent consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentException.ThrowIfNullOrWhiteSpace(consent.TenantId, nameof(consent));
        Instant checkedAt = consent.CheckedAt ?? throw new ArgumentException("A stored tenant status needs CheckedAt: the later check wins between servers.", nameof(consent));
        cancellationToken.ThrowIfCancellationRequested();
        _database.Write((connection, transaction) => connection.Execute(
            transaction,
            """
            INSERT INTO tenant_consents (tenant_key, tenant_id, status, checked_at_ticks, next_check_at_ticks, detail)
            VALUES ($key, $tenant, $status, $checked, $next, $detail)
            ON CONFLICT (tenant_key) DO UPDATE SET tenant_id = excluded.tenant_id, status = excluded.status,
                checked_at_ticks = excluded.checked_at_ticks, next_check_at_ticks = excluded.next_check_at_ticks, detail = excluded.detail
            WHERE excluded.checked_at_ticks >= tenant_consents.checked_at_ticks;
            """,
            ("$key", consent.TenantId.Trim().ToLowerInvariant()),
            ("$tenant", consent.TenantId),
            ("$status", consent.Status.ToString()),
            ("$checked", checkedAt.ToUnixTimeTicks()),
            ("$next", consent.NextCheckAt?.ToUnixTimeTicks()),
            ("$detail", consent.Detail)));
        return Task.CompletedTask;
    }
}
