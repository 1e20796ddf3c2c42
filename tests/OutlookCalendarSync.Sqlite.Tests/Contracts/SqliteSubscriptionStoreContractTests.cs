using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite.Tests.Contracts;

public sealed class SqliteSubscriptionStoreContractTests : SubscriptionStoreContract, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override ISubscriptionStore CreateStore() => new SqliteSubscriptionStore(_database.Options);

    public void Dispose() => _database.Dispose();
}
