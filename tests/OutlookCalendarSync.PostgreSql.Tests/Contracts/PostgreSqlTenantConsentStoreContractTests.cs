using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Specification.Tests;

namespace OutlookCalendarSync.PostgreSql.Tests.Contracts;

[Collection(PostgreSqlServerGroup.Name)]
public sealed class PostgreSqlTenantConsentStoreContractTests(PostgreSqlServer server) : TenantConsentStoreContract, IDisposable
{
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();

    protected override ITenantConsentStore CreateStore() => new PostgreSqlTenantConsentStore(_options);

    public void Dispose() => server.DropSchema(_options);
}
