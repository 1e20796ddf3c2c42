using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Tests.Contracts;

public sealed class DictionaryRowsSyncStateStoreContractTests : SyncStateStoreContract
{
    protected override ISyncStateStore CreateStore() => new DictionaryRowsSyncStateStore(Clock);
}
