using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// The mailbox a user is synced with in app-only mode: the tenant whose admin consented and the mailbox's user id or user
/// principal name, which Graph is asked through as <c>/users/{Mailbox}/…</c>.
/// </summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class AppOnlyMailbox
{
    /// <summary>Creates the mapping.</summary>
    /// <param name="tenantId">The directory (tenant) id, a GUID, or a verified domain such as <c>contoso.onmicrosoft.com</c>.</param>
    /// <param name="mailbox">The user's object id (a GUID) or user principal name (<c>ada@contoso.com</c>).</param>
    /// <exception cref="ArgumentException">Either is empty, or the tenant is <c>common</c>, <c>organizations</c> or <c>consumers</c>.</exception>
    public AppOnlyMailbox(string tenantId, string mailbox)
    {
        Guard.NotNullOrWhiteSpace(tenantId);
        Guard.NotNullOrWhiteSpace(mailbox);
        if (tenantId.Trim() is "common" or "organizations" or "consumers")
        {
            throw new ArgumentException($"App-only tokens are issued by one tenant: give its id or domain, not '{tenantId}'.", nameof(tenantId));
        }

        TenantId = tenantId.Trim();
        Mailbox = mailbox.Trim();
    }

    /// <summary>Gets the tenant whose app-only token reaches the mailbox.</summary>
    public string TenantId { get; }

    /// <summary>Gets the user's object id or user principal name.</summary>
    public string Mailbox { get; }

    /// <summary>Returns <c>{Mailbox} in tenant {TenantId}</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Mailbox} in tenant {TenantId}";
}
