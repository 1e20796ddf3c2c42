using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite.Tests.Contracts;

public sealed class SqliteSyncStateStoreContractTests : SyncStateStoreContract, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override ISyncStateStore CreateStore() => new SqliteSyncStateStore(_database.Options, Clock);

    public void Dispose() => _database.Dispose();
}
