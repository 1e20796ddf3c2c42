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
    ];
}
