using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql.Tests.Contracts;

[Collection(PostgreSqlServerGroup.Name)]
public sealed class PostgreSqlSyncStateStoreContractTests(PostgreSqlServer server) : SyncStateStoreContract, IDisposable
{
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();

    protected override ISyncStateStore CreateStore() => new PostgreSqlSyncStateStore(_options, Clock);

    public void Dispose() => server.DropSchema(_options);
}
