using OutlookCalendarSync.Specification.Tests;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.Contracts;

public sealed class InMemoryTokenStoreContractTests : TokenStoreContract
{
    protected override ITokenStore CreateStore() => new InMemoryTokenStore();
}
