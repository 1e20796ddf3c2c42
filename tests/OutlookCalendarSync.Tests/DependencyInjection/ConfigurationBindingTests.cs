using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Reconciliation;
using OutlookCalendarSync.Sqlite;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Tests.DependencyInjection;

/// <summary>The options bound from configuration as a host's appsettings.json gives them, in a host that starts.</summary>
public sealed class ConfigurationBindingTests
{
    [Fact]
    public async Task AddOutlookCalendarSync_FromConfiguration_BindsTimeSpanAndRoundtripDurationsAndStarts()
    {
        using IHost host = BuildHost(new Dictionary<string, string?>
        {
            ["OutlookCalendarSync:WindowBefore"] = "30.00:00:00",
            ["OutlookCalendarSync:WindowAfter"] = "400:00:00:00",
            ["OutlookCalendarSync:WindowReanchorAfter"] = "1.12:00:00",
            ["OutlookCalendarSync:LeaseDuration"] = "00:05:00",
            ["OutlookCalendarSync:Direction"] = "ToOutlookOnly",
            ["OutlookCalendarSync:MassDeletionThreshold"] = "0.25",
            ["OutlookCalendarSync:PushPastEvents"] = "true",
        });

        await host.StartAsync();

        OutlookCalendarSyncOptions options = host.Services.GetRequiredService<IOptions<OutlookCalendarSyncOptions>>().Value;
        Assert.Equal(Duration.FromDays(30), options.WindowBefore);
        Assert.Equal(Duration.FromDays(400), options.WindowAfter);
        Assert.Equal(Duration.FromHours(36), options.WindowReanchorAfter);
        Assert.Equal(Duration.FromMinutes(5), options.LeaseDuration);
        Assert.Equal(SyncDirection.ToOutlookOnly, options.Direction);
        Assert.Equal(0.25, options.MassDeletionThreshold);
        Assert.True(options.PushPastEvents);
        Assert.Equal(20, options.OutlookBatchSize);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddOutlookCalendarSync_FromConfigurationWithAnUnreadableDuration_StopsTheHostSayingHowToWriteIt()
    {
        using IHost host = BuildHost(new Dictionary<string, string?> { ["OutlookCalendarSync:WindowBefore"] = "30 days" });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("WindowBefore", ex.Message);
        Assert.Contains("'30 days' is not a duration", ex.InnerException?.Message);
        Assert.Contains("\"30.00:00:00\"", ex.InnerException?.Message);
    }

    [Fact]
    public async Task AddOutlookCalendarSync_FromConfigurationBreakingARule_StopsTheHostWithTheValidationMessage()
    {
        using IHost host = BuildHost(new Dictionary<string, string?> { ["OutlookCalendarSync:OutlookBatchSize"] = "50" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("OutlookBatchSize must be from 1 to 20", ex.Message);
    }

    [Fact]
    public void UseSqliteGraphAndMicrosoftAccount_FromConfigurationSections_BindTheirOptions()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OutlookCalendarSync:Sqlite:DatabasePath"] = "calendar.db",
            ["OutlookCalendarSync:Sqlite:BusyTimeout"] = "00:00:05",
            ["OutlookCalendarSync:Graph:GraphBaseUrl"] = "https://graph.microsoft.us/v1.0/",
            ["OutlookCalendarSync:Graph:DeltaPageSize"] = "200",
            ["OutlookCalendarSync:MicrosoftAccount:ClientId"] = "00000000-0000-0000-0000-000000000001",
            ["OutlookCalendarSync:MicrosoftAccount:ClientSecret"] = "secret",
            ["OutlookCalendarSync:MicrosoftAccount:TenantId"] = "contoso.onmicrosoft.com",
            ["OutlookCalendarSync:MicrosoftAccount:PublicBaseUrl"] = "https://calendar.example.com/",
            ["OutlookCalendarSync:MicrosoftAccount:SignInLifetime"] = "00:20:00",
            ["OutlookCalendarSync:MicrosoftAccount:Scopes:0"] = "Mail.Read",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());

        services.AddOutlookCalendarSync(configuration.GetSection("OutlookCalendarSync"))
            .UseSqliteStores(configuration.GetSection("OutlookCalendarSync:Sqlite"))
            .UseMicrosoftGraph(configuration.GetSection("OutlookCalendarSync:Graph"))
            .UseMicrosoftAccount(configuration.GetSection("OutlookCalendarSync:MicrosoftAccount"));
        using ServiceProvider provider = services.BuildServiceProvider();

        SqliteStoreOptions sqlite = provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
        Assert.Equal("calendar.db", sqlite.DatabasePath);
        Assert.Equal(TimeSpan.FromSeconds(5), sqlite.BusyTimeout);
        MicrosoftGraphOptions graph = provider.GetRequiredService<IOptions<MicrosoftGraphOptions>>().Value;
        Assert.Equal(new Uri("https://graph.microsoft.us/v1.0/"), graph.GraphBaseUrl);
        Assert.Equal(200, graph.DeltaPageSize);
        MicrosoftAccountOptions account = provider.GetRequiredService<IOptions<MicrosoftAccountOptions>>().Value;
        Assert.Equal("contoso.onmicrosoft.com", account.TenantId);
        Assert.Equal(new Uri("https://calendar.example.com/microsoft_account/authentication"), account.GetRedirectUri());
        Assert.Equal(Duration.FromMinutes(20), account.SignInLifetime);
        Assert.Equal(["offline_access", "openid", "User.Read", "Calendars.ReadWrite", "Mail.Read"], account.Scopes);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOutlookCalendarSync(builder.Configuration.GetSection("OutlookCalendarSync"))
            .UseCalendarStore(new InMemoryCalendarStore())
            .UseOutlookCalendar(new InMemoryOutlookCalendar())
            .UseSyncStateStore(new InMemorySyncStateStore());
        return builder.Build();
    }
}
