namespace OutlookCalendarSync.AppOnly;

/// <summary>Whether the app may sync a tenant's mailboxes with application permissions.</summary>
public enum TenantConsentStatus
{
    /// <summary>No app-only token was asked for in this tenant yet (since the process started).</summary>
    Unknown,

    /// <summary>The last app-only token carried the <c>Calendars.ReadWrite</c> application permission.</summary>
    Consented,

    /// <summary>
    /// The tenant's admin has not consented, or revoked the consent: Microsoft Entra knows no service principal of the app in the
    /// tenant (AADSTS700016), or the token carries no <c>Calendars.ReadWrite</c>. An admin consents with the admin-consent URL.
    /// </summary>
    ConsentRevoked,

    /// <summary>
    /// The app's own settings are wrong: an invalid or expired client secret, a certificate Entra does not know, an unknown
    /// tenant or a bad scope. The host's operator fixes the credentials; no consent helps.
    /// </summary>
    Misconfigured,
}
