using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql.Tests.Contracts;

[Collection(PostgreSqlServerGroup.Name)]
public sealed class PostgreSqlPendingSignInStoreContractTests(PostgreSqlServer server) : PendingSignInStoreContract, IDisposable
{
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();

    protected override IPendingSignInStore CreateStore() => new PostgreSqlPendingSignInStore(_options, Clock);

    public void Dispose() => server.DropSchema(_options);
}
