using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.Contracts;

public sealed class InMemorySyncStateStoreContractTests : SyncStateStoreContract
{
    protected override ISyncStateStore CreateStore() => new InMemorySyncStateStore(Clock);
}
