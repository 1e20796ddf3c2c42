using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Tests.Contracts;

public sealed class InMemoryPendingSignInStoreContractTests : PendingSignInStoreContract
{
    protected override IPendingSignInStore CreateStore() => new InMemoryPendingSignInStore(Clock, capacity: 10_000);
}
