using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Specification.Tests;

namespace OutlookCalendarSync.Sqlite.Tests.Contracts;

public sealed class SqliteTenantConsentStoreContractTests : TenantConsentStoreContract, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override ITenantConsentStore CreateStore() => new SqliteTenantConsentStore(_database.Options);

    public void Dispose() => _database.Dispose();
}
