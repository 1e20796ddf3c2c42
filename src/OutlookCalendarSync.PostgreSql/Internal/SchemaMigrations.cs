namespace OutlookCalendarSync.PostgreSql.Internal;

/// <summary>
/// The schema, as forward-only migrations: migration <c>n</c> takes a schema from version <c>n - 1</c> to <c>n</c>. Never edit a
/// shipped migration; append a new one. <c>{schema}</c> stands for the quoted schema name.
/// </summary>
/// <remarks>
/// Instants are <c>bigint</c> Unix ticks (100 ns), not <c>timestamptz</c>: NodaTime instants carry ticks that a microsecond column
/// would round away, and the engine compares what it saved with what it reads.
/// </remarks>
internal static class SchemaMigrations
{
    /// <summary>Every migration, in order; index 0 is version 1.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE TABLE {schema}.sync_headers (
            user_id text NOT NULL PRIMARY KEY,
            revision bigint NOT NULL,
            status text NOT NULL,
            host_cursor text,
            outlook_cursor text,
            has_outlook_cursor_window boolean NOT NULL,
            outlook_cursor_window_start_ticks bigint,
            outlook_cursor_window_end_ticks bigint,
            first_sync_at_ticks bigint,
            last_sync_at_ticks bigint,
            next_sync_at_ticks bigint,
            last_error text,
            engine_data text
        );

        CREATE INDEX sync_headers_due ON {schema}.sync_headers (status, next_sync_at_ticks NULLS FIRST, user_id);

        CREATE TABLE {schema}.sync_links (
            user_id text NOT NULL,
            host_id text NOT NULL,
            outlook_id text NOT NULL,
            payload text NOT NULL,
            PRIMARY KEY (user_id, host_id),
            UNIQUE (user_id, outlook_id)
        );

        CREATE TABLE {schema}.sync_leases (
            user_id text NOT NULL PRIMARY KEY,
            token text NOT NULL,
            expires_at_ticks bigint NOT NULL
        );

        CREATE TABLE {schema}.token_caches (
            user_id text NOT NULL PRIMARY KEY,
            blob bytea NOT NULL
        );
        """,
        """
        CREATE TABLE {schema}.calendar_users (
            user_id text NOT NULL PRIMARY KEY,
            generation bigint NOT NULL DEFAULT 0,
            last_sequence bigint NOT NULL DEFAULT 0,
            pruned_through bigint NOT NULL DEFAULT 0
        );

        CREATE TABLE {schema}.calendar_events (
            user_id text NOT NULL,
            event_id text NOT NULL,
            version text NOT NULL,
            start_ticks bigint NOT NULL,
            end_ticks bigint NOT NULL,
            is_series_master boolean NOT NULL,
            last_modified_ticks bigint,
            created_sequence bigint NOT NULL,
            sequence bigint NOT NULL,
            is_deleted boolean NOT NULL DEFAULT false,
            deleted_at_ticks bigint,
            document jsonb,
            PRIMARY KEY (user_id, event_id)
        );

        CREATE INDEX calendar_events_changes ON {schema}.calendar_events (user_id, sequence);
        CREATE INDEX calendar_events_window ON {schema}.calendar_events (user_id, start_ticks, end_ticks) WHERE NOT is_deleted;
        CREATE INDEX calendar_events_tombstones ON {schema}.calendar_events (deleted_at_ticks) WHERE is_deleted;
        """,
        """
        CREATE TABLE {schema}.pending_sign_ins (
            user_id text NOT NULL PRIMARY KEY,
            state_key text NOT NULL,
            payload bytea NOT NULL,
            expires_at_ticks bigint NOT NULL
        );

        CREATE INDEX pending_sign_ins_expiry ON {schema}.pending_sign_ins (expires_at_ticks);
        """,
        """
        CREATE TABLE {schema}.notification_subscriptions (
            user_id text NOT NULL PRIMARY KEY,
            subscription_id text NOT NULL,
            client_state text NOT NULL,
            expires_at_ticks bigint NOT NULL
        );

        CREATE UNIQUE INDEX notification_subscriptions_id ON {schema}.notification_subscriptions (subscription_id);
        CREATE INDEX notification_subscriptions_expiry ON {schema}.notification_subscriptions (expires_at_ticks, user_id);
        """,
        """
        CREATE TABLE {schema}.tenant_consents (
            tenant_key text NOT NULL PRIMARY KEY,
            tenant_id text NOT NULL,
            status text NOT NULL,
            checked_at_ticks bigint NOT NULL,
            next_check_at_ticks bigint NULL,
            detail text NULL
        );
        """,
    ];
}
