using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql.Tests.Contracts;

[Collection(PostgreSqlServerGroup.Name)]
public sealed class PostgreSqlSubscriptionStoreContractTests(PostgreSqlServer server) : SubscriptionStoreContract, IDisposable
{
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();

    protected override ISubscriptionStore CreateStore() => new PostgreSqlSubscriptionStore(_options);

    public void Dispose() => server.DropSchema(_options);
}
