namespace OutlookCalendarSync.AppOnly;

/// <summary>How an admin-consent callback ended.</summary>
public enum AdminConsentStatus
{
    /// <summary>The admin consented, and an app-only token of the tenant now carries <c>Calendars.ReadWrite</c>.</summary>
    Consented,

    /// <summary>Microsoft answered with an error, such as the admin declining (<c>access_denied</c>).</summary>
    Denied,

    /// <summary>The <c>state</c> is unknown, expired or already used: the callback did not come from a consent URL of this app.</summary>
    InvalidState,

    /// <summary>
    /// Microsoft reported consent, but the tenant's app-only token still lacks <c>Calendars.ReadWrite</c>, or cannot be had (see
    /// <see cref="AdminConsentResult.Tenant"/>): the app registration asks for no such application permission, its credentials are
    /// wrong, or Entra has not applied the consent yet.
    /// </summary>
    NotEffective,
}
