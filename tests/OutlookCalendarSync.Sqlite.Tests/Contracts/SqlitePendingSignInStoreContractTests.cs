using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite.Tests.Contracts;

public sealed class SqlitePendingSignInStoreContractTests : PendingSignInStoreContract, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override IPendingSignInStore CreateStore() => new SqlitePendingSignInStore(_database.Options, Clock);

    public void Dispose() => _database.Dispose();
}
