using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Specification.Tests;

namespace OutlookCalendarSync.Tests.Contracts;

public sealed class InMemoryTenantConsentStoreContractTests : TenantConsentStoreContract
{
    protected override ITenantConsentStore CreateStore() => new InMemoryTenantConsentStore();
}
