namespace OutlookCalendarSync.Stores;

/// <summary>Whether a user's calendar is being synced.</summary>
public enum SyncStatus
{
    /// <summary>Syncing: every <c>SyncAsync</c> runs.</summary>
    Active,

    /// <summary>Paused by the user or an admin: runs do nothing until resumed; links and cursors are kept.</summary>
    Paused,

    /// <summary>Stopped by the user: runs do nothing; a reset or resume starts again.</summary>
    Stopped,

    /// <summary>The user's Microsoft sign-in must be renewed (revoked consent, expired refresh token): connect again.</summary>
    NeedsReauthorization,
}
