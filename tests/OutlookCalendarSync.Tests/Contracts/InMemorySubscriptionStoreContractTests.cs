using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.Contracts;

public sealed class InMemorySubscriptionStoreContractTests : SubscriptionStoreContract
{
    protected override ISubscriptionStore CreateStore() => new InMemorySubscriptionStore();
}
