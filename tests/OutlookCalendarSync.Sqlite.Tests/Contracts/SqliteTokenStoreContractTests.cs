using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite.Tests.Contracts;

public sealed class SqliteTokenStoreContractTests : TokenStoreContract, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override ITokenStore CreateStore() => new SqliteTokenStore(_database.Options);

    public void Dispose() => _database.Dispose();
}
