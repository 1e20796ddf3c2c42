using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Sqlite.Tests;

/// <summary>Which pending-sign-in store a host gets, whatever order it calls the builder in.</summary>
public sealed class PendingSignInRegistrationTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void UseSqliteStores_BeforeUseMicrosoftAccount_RegistersTheSqliteStore()
        => Assert.IsType<SqlitePendingSignInStore>(Resolve(b => MicrosoftAccount(b.UseSqliteStores(o => o.DatabasePath = _database.Path))));

    [Fact]
    public void UseSqliteStores_AfterUseMicrosoftAccount_RegistersTheSqliteStore()
        => Assert.IsType<SqlitePendingSignInStore>(Resolve(b => MicrosoftAccount(b).UseSqliteStores(o => o.DatabasePath = _database.Path)));

    [Fact]
    public void UsePendingSignInStore_AfterUseSqliteStores_Wins()
    {
        var own = new SqlitePendingSignInStore(_database.Options, NodaTime.SystemClock.Instance);

        Assert.Same(own, Resolve(b => MicrosoftAccount(b.UseSqliteStores(o => o.DatabasePath = _database.Path)).UsePendingSignInStore(own)));
    }

    private static IPendingSignInStore Resolve(Action<OutlookCalendarSyncBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        configure(services.AddOutlookCalendarSync());
        using ServiceProvider provider = services.BuildServiceProvider();
        using IServiceScope scope = provider.CreateScope();
        return scope.ServiceProvider.GetRequiredService<IPendingSignInStore>();
    }

    private static OutlookCalendarSyncBuilder MicrosoftAccount(OutlookCalendarSyncBuilder builder) => builder.UseMicrosoftAccount(o =>
    {
        o.ClientId = "client";
        o.ClientSecret = "secret";
        o.PublicBaseUrl = new Uri("https://calendar.example.test/");
    });
}
