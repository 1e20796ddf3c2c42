using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.PostgreSql.Tests;

[Collection(PostgreSqlServerGroup.Name)]
public sealed class SyncEngineTests(PostgreSqlServer server) : IDisposable
{
    private const string User = "alice";
    private readonly PostgreSqlStoreOptions _options = server.NewSchema();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 24, 12, 0));

    [Fact]
    public async Task SyncAsync_PostgreSqlStateAndTokenStores_ConvergesThenSecondRunMakesNoWrites()
    {
        var host = new InMemoryCalendarStore(_clock);
        var outlook = new InMemoryOutlookCalendar(_clock);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(_clock);
        services.AddOutlookCalendarSync().UseCalendarStore(host).UseOutlookCalendar(outlook).UsePostgreSqlStores(o =>
        {
            o.ConnectionString = _options.ConnectionString;
            o.Schema = _options.Schema;
        });
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        host.AddByUser(User, Meeting("Host planning", day: 1));
        outlook.AddByUser(User, Meeting("Outlook review", day: 2));
        var engine = provider.GetRequiredService<ISyncEngine>();

        SyncResult first = await engine.SyncAsync(User);
        _clock.Advance(Duration.FromMinutes(1));
        SyncResult second = await engine.SyncAsync(User);

        Assert.Equal(SyncRunStatus.Synced, first.Status);
        Assert.Equal(host.GetAll(User).Select(e => e.ContentHash).Order(), outlook.GetAll(User).Select(e => e.ContentHash).Order());
        Assert.Equal(2, (await new PostgreSqlSyncStateStore(_options).GetLinksAsync(User, default)).Count);
        Assert.Equal(0, second.TotalWrites);
    }

    [Fact]
    public void UsePostgreSqlStores_Registered_ReplacesStateAndTokenStores()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync()
            .UseSyncStateStore(new InMemorySyncStateStore())
            .UseTokenStore(new InMemoryTokenStore())
            .UsePostgreSqlStores(o => o.ConnectionString = _options.ConnectionString)
            .UsePostgreSqlStores();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<PostgreSqlSyncStateStore>(provider.GetRequiredService<ISyncStateStore>());
        Assert.IsType<PostgreSqlTokenStore>(provider.GetRequiredService<ITokenStore>());
        Assert.Single(services, d => d.ServiceType == typeof(ISyncStateStore));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<PostgreSqlStoreOptions>));
    }

    [Fact]
    public async Task SyncAsync_EveryStoreInPostgreSql_ConvergesThenSecondRunMakesNoWrites()
    {
        var outlook = new InMemoryOutlookCalendar(_clock);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(_clock);
        services.AddOutlookCalendarSync()
            .UseCalendarStore(new InMemoryCalendarStore())
            .UseOutlookCalendar(outlook)
            .UsePostgreSqlStores(o =>
            {
                o.ConnectionString = _options.ConnectionString;
                o.Schema = _options.Schema;
            })
            .UsePostgreSqlCalendarStore();
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var host = provider.GetRequiredService<PostgreSqlCalendarStore>();
        await host.AddByUserAsync(User, Meeting("Host planning", day: 1), default);
        outlook.AddByUser(User, Meeting("Outlook review", day: 2));
        var engine = provider.GetRequiredService<ISyncEngine>();

        SyncResult first = await engine.SyncAsync(User);
        _clock.Advance(Duration.FromMinutes(1));
        SyncResult second = await engine.SyncAsync(User);

        Assert.Same(host, provider.GetRequiredService<ICalendarStore>());
        Assert.Single(services, d => d.ServiceType == typeof(ICalendarStore));
        Assert.Equal(SyncRunStatus.Synced, first.Status);
        Assert.Equal((await host.GetAllAsync(User, default)).Select(e => e.ContentHash).Order(), outlook.GetAll(User).Select(e => e.ContentHash).Order());
        Assert.Equal(0, second.TotalWrites);
    }

    [Fact]
    public void UsePostgreSqlStores_NoConnectionStringAndBadSchema_FailsAtStartNamingBoth()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync().UsePostgreSqlStores(o => o.Schema = "Bad-Name");
        using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value);

        Assert.Contains("PostgreSqlStoreOptions.ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSqlStoreOptions.Schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsePostgreSqlStores_ConfigurationSection_BindsConnectionStringAndSchema()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PostgreSql:ConnectionString"] = "Host=db;Database=app", ["PostgreSql:Schema"] = "sync_state" })
            .Build();
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync().UsePostgreSqlStores(configuration.GetSection("PostgreSql"));
        using ServiceProvider provider = services.BuildServiceProvider();

        PostgreSqlStoreOptions options = provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;

        Assert.Equal(("Host=db;Database=app", "sync_state"), (options.ConnectionString, options.Schema));
    }

    [Theory]
    [InlineData("outlook_calendar_sync", true)]
    [InlineData("_tenant_42", true)]
    [InlineData("Sync", false)]
    [InlineData("sync; DROP TABLE x", false)]
    [InlineData("", false)]
    public void Validate_SchemaName_OnlySafeUnquotedNamesPass(string schema, bool valid)
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = "Host=localhost", Schema = schema };

        Assert.Equal(valid, options.Validate().Count == 0);
    }

    public void Dispose() => server.DropSchema(_options);

    private static CalendarEvent Meeting(string subject, int day)
        => new()
        {
            Subject = subject,
            Timing = EventTiming.Timed(new LocalDateTime(2026, 12, day, 9, 0), new LocalDateTime(2026, 12, day, 10, 0), "Europe/Berlin"),
        };
}
