namespace OutlookCalendarSync.Sqlite.Internal;

/// <summary>
/// The schema, as forward-only migrations: migration <c>n</c> takes a database from version <c>n - 1</c> to <c>n</c>. Never edit a
/// shipped migration; append a new one.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>Every migration, in order; index 0 is version 1.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE TABLE calendar_users (
            user_id TEXT NOT NULL PRIMARY KEY,
            generation INTEGER NOT NULL DEFAULT 0,
            last_sequence INTEGER NOT NULL DEFAULT 0,
            pruned_through INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;

        CREATE TABLE calendar_events (
            user_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            version TEXT NOT NULL,
            start_ticks INTEGER NOT NULL,
            end_ticks INTEGER NOT NULL,
            is_series_master INTEGER NOT NULL,
            last_modified_ticks INTEGER,
            created_sequence INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            is_deleted INTEGER NOT NULL DEFAULT 0,
            deleted_at_ticks INTEGER,
            document TEXT,
            PRIMARY KEY (user_id, event_id)
        );
        CREATE INDEX ix_calendar_events_changes ON calendar_events (user_id, sequence);
        CREATE INDEX ix_calendar_events_window ON calendar_events (user_id, start_ticks, end_ticks) WHERE is_deleted = 0;
        CREATE INDEX ix_calendar_events_tombstones ON calendar_events (deleted_at_ticks) WHERE is_deleted = 1;

        CREATE TABLE sync_states (
            user_id TEXT NOT NULL PRIMARY KEY,
            revision INTEGER NOT NULL,
            links_stamp TEXT NOT NULL,
            status TEXT NOT NULL,
            local_cursor TEXT,
            remote_cursor TEXT,
            remote_cursor_window TEXT,
            pending_local_ids TEXT NOT NULL,
            pending_remote_ids TEXT NOT NULL,
            is_interrupted INTEGER NOT NULL,
            first_sync_at TEXT,
            last_sync_at TEXT,
            last_error TEXT
        ) WITHOUT ROWID;

        CREATE TABLE sync_links (
            user_id TEXT NOT NULL,
            local_id TEXT NOT NULL,
            remote_id TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (user_id, local_id)
        );
        CREATE UNIQUE INDEX ux_sync_links_remote ON sync_links (user_id, remote_id);

        CREATE TABLE sync_leases (
            user_id TEXT NOT NULL PRIMARY KEY,
            token TEXT NOT NULL,
            expires_at_ticks INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE token_caches (
            user_id TEXT NOT NULL PRIMARY KEY,
            blob BLOB NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE sync_headers (
            user_id TEXT NOT NULL PRIMARY KEY,
            revision INTEGER NOT NULL,
            status TEXT NOT NULL,
            host_cursor TEXT,
            outlook_cursor TEXT,
            outlook_cursor_window TEXT,
            first_sync_at TEXT,
            last_sync_at TEXT,
            next_sync_at_ticks INTEGER,
            last_error TEXT,
            engine_data TEXT
        ) WITHOUT ROWID;
        CREATE INDEX ix_sync_headers_due ON sync_headers (status, next_sync_at_ticks);

        INSERT INTO sync_headers (user_id, revision, status, host_cursor, outlook_cursor, outlook_cursor_window, first_sync_at, last_sync_at,
                                  next_sync_at_ticks, last_error, engine_data)
        SELECT user_id, revision, status, local_cursor, remote_cursor, remote_cursor_window, first_sync_at, last_sync_at, NULL, last_error,
               CASE WHEN is_interrupted = 0 AND pending_local_ids = '[]' AND pending_remote_ids = '[]' THEN NULL
                    ELSE json_object('v', 1, 'interrupted', json(CASE WHEN is_interrupted <> 0 THEN 'true' ELSE 'false' END),
                                     'pendingHost', json(pending_local_ids), 'pendingOutlook', json(pending_remote_ids)) END
        FROM sync_states;
        DROP TABLE sync_states;

        ALTER TABLE sync_links RENAME COLUMN local_id TO host_id;
        ALTER TABLE sync_links RENAME COLUMN remote_id TO outlook_id;
        ALTER TABLE sync_links RENAME COLUMN document TO payload;
        """,
        """
        CREATE TABLE pending_sign_ins (
            user_id TEXT NOT NULL PRIMARY KEY,
            state_key TEXT NOT NULL,
            payload BLOB NOT NULL,
            expires_at_ticks INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX ix_pending_sign_ins_expiry ON pending_sign_ins (expires_at_ticks);
        """,
        """
        CREATE TABLE notification_subscriptions (
            user_id TEXT NOT NULL PRIMARY KEY,
            subscription_id TEXT NOT NULL,
            client_state TEXT NOT NULL,
            expires_at_ticks INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX ux_notification_subscriptions_id ON notification_subscriptions (subscription_id);
        CREATE INDEX ix_notification_subscriptions_expiry ON notification_subscriptions (expires_at_ticks, user_id);
        """,
        """
        CREATE TABLE tenant_consents (
            tenant_key TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            status TEXT NOT NULL,
            checked_at_ticks INTEGER NOT NULL,
            next_check_at_ticks INTEGER NULL,
            detail TEXT NULL
        ) WITHOUT ROWID;
        """,
    ];
}
