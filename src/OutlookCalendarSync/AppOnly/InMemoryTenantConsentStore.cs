using System.Collections.Concurrent;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.AppOnly;

/// <summary>The default <see cref="ITenantConsentStore"/>: the statuses of one process, in its memory.</summary>
/// <threadsafety>Safe for concurrent use.</threadsafety>
internal sealed class InMemoryTenantConsentStore : ITenantConsentStore
{
    private readonly ConcurrentDictionary<string, TenantConsent> _tenants = new(StringComparer.OrdinalIgnoreCase);

    public Task<TenantConsent?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        Guard.NotNullOrWhiteSpace(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_tenants.TryGetValue(tenantId, out TenantConsent? found) ? found : null);
    }

    public Task SaveAsync(TenantConsent consent, CancellationToken cancellationToken)
    {
        Guard.NotNull(consent);
        ArgumentException.ThrowIfNullOrWhiteSpace(consent.TenantId, nameof(consent));
        if (consent.CheckedAt is null)
        {
            throw new ArgumentException("A stored tenant status needs CheckedAt: the later check wins between servers.", nameof(consent));
        }

        cancellationToken.ThrowIfCancellationRequested();
        _tenants.AddOrUpdate(consent.TenantId, consent, (_, stored) => stored.CheckedAt > consent.CheckedAt ? stored : consent);
        return Task.CompletedTask;
    }
}
