using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.PostgreSql.Tests.Contracts;

[Collection(PostgreSqlServerGroup.Name)]
public sealed class PostgreSqlTokenStoreContractTests(PostgreSqlServer server) : TokenStoreContract, IDisposable
{
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();

    protected override ITokenStore CreateStore() => new PostgreSqlTokenStore(_options);

    public void Dispose() => server.DropSchema(_options);
}
