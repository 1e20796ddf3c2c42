using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Npgsql;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Hangfire;
using OutlookCalendarSync.PostgreSql;
using OutlookCalendarSync.PostgreSql.Tests;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Hangfire.Tests;

/// <summary>
/// A farm as a host runs one: Hangfire servers (each an <see cref="IHost"/> with <c>AddHangfire</c>, <c>AddHangfireServer</c> and
/// <c>AddHangfireScheduling</c>) sharing one PostgreSQL database for Hangfire's jobs, the sync state, the tokens and the host calendar,
/// and syncing with the Graph emulator over HTTP through the real Graph SDK.
/// </summary>
internal sealed class HangfireFarm : IAsyncDisposable
{
    private readonly PostgreSqlServer _server;
    private readonly List<IHost> _hosts = [];

    private HangfireFarm(PostgreSqlServer server, GraphEmulator emulator)
    {
        _server = server;
        Emulator = emulator;
        Store = server.NewSchema();
        HangfireSchema = "hf_" + Guid.NewGuid().ToString("N");
        State = new LeaseRecordingStateStore(new PostgreSqlSyncStateStore(Store, SystemClock.Instance));
        Calendar = new PostgreSqlCalendarStore(Store, SystemClock.Instance);
    }

    public GraphEmulator Emulator { get; }

    public PostgreSqlStoreOptions Store { get; }

    public string HangfireSchema { get; }

    /// <summary>The state store every server uses, watched.</summary>
    public LeaseRecordingStateStore State { get; }

    /// <summary>The host calendar every server syncs, in PostgreSQL.</summary>
    public PostgreSqlCalendarStore Calendar { get; }

    public IReadOnlyList<IHost> Hosts => _hosts;

    public static async Task<HangfireFarm> StartAsync(PostgreSqlServer server) => new(server, await GraphEmulator.StartAsync());

    /// <summary>Starts one more server (with no Hangfire server when <paramref name="runsJobs"/> is false, as a web front end).</summary>
    public async Task<IHost> AddServerAsync(
        string name,
        Action<HangfireSchedulingOptions>? configure = null,
        Duration? syncInterval = null,
        bool runsJobs = true)
    {
        IHost host = BuildServer(name, configure, syncInterval, runsJobs);
        await host.StartAsync();
        _hosts.Add(host);
        return host;
    }

    /// <summary>Starts several servers at once, as a deployment starting its instances does.</summary>
    public async Task<IReadOnlyList<IHost>> AddServersAtOnceAsync(params string[] names)
    {
        IHost[] hosts = [.. names.Select(name => BuildServer(name, configure: null, syncInterval: null, runsJobs: true))];
        _hosts.AddRange(hosts);
        await Task.WhenAll(hosts.Select(host => Task.Run(() => host.StartAsync())));
        return hosts;
    }

    /// <summary>The Hangfire storage options every server uses.</summary>
    public PostgreSqlStorageOptions HangfireOptions => new() { SchemaName = HangfireSchema, QueuePollInterval = TimeSpan.FromMilliseconds(200), PrepareSchemaIfNecessary = true };

    /// <summary>The connection string of the database every server uses for Hangfire.</summary>
    public string HangfireConnectionString => _server.ConnectionString + ";Application Name=hangfire";

    private IHost BuildServer(string name, Action<HangfireSchedulingOptions>? configure, Duration? syncInterval, bool runsJobs)
    {
        return new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddHangfire(c => c
                    .UseSimpleAssemblyNameTypeSerializer()
                    .UseRecommendedSerializerSettings()
                    .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(HangfireConnectionString), HangfireOptions));
                if (runsJobs)
                {
                    services.AddHangfireServer(o =>
                    {
                        o.ServerName = name;
                        o.WorkerCount = 4;
                        o.SchedulePollingInterval = TimeSpan.FromMilliseconds(500);
                    });
                }

                services.AddOutlookCalendarSync(o => o.SyncInterval = syncInterval ?? Duration.FromMinutes(15))
                    .UseSyncStateStore(State)
                    .UseCalendarStore(Calendar)
                    .UseAccessTokenProvider(new MailboxTokens())
                    .UseMicrosoftGraph(o =>
                    {
                        o.GraphBaseUrl = Emulator.GraphBaseUrl;
                        o.MaxRetryAfter = TimeSpan.FromSeconds(1);
                        o.DefaultRetryDelay = TimeSpan.FromMilliseconds(200);
                    })
                    .AddHangfireScheduling(o =>
                    {
                        o.DispatchCron = "*/1 * * * * *";
                        configure?.Invoke(o);
                    });
            })
            .Build();
    }

    /// <summary>Makes users known to the state store as a connected user is: active, never synced, so due at once.</summary>
    public async Task ConnectAsync(IEnumerable<string> userIds)
    {
        foreach (string userId in userIds)
        {
            await State.SaveAsync(new SyncStateChanges(new SyncStateHeader(userId)), default);
        }
    }

    /// <summary>Waits until the condition holds, or fails saying what it waited for and what <paramref name="describe"/> finds.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<Task<string>>? describe = null)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= end)
            {
                Assert.Fail($"Timed out after {timeout} waiting until {what}. {(describe is null ? string.Empty : await describe())}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The user jobs Hangfire holds, in every state, with the user each one syncs.</summary>
    public IReadOnlyList<(string JobId, string UserId, string State)> UserJobs()
    {
        var ids = new List<string>();
        using (var database = new NpgsqlConnection(_server.ConnectionString))
        {
            database.Open();
            using var command = new NpgsqlCommand($"SELECT id::text FROM \"{HangfireSchema}\".job ORDER BY id", database);
            using NpgsqlDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }
        }

        using IStorageConnection connection = Storage.GetConnection();
        var jobs = new List<(string, string, string)>();
        foreach (string id in ids)
        {
            JobData data = connection.GetJobData(id);
            if (data?.Job is { } job && job.Method.Name == nameof(OutlookCalendarSyncJobs.SyncUserAsync))
            {
                jobs.Add((id, (string)job.Args[0], data.State ?? string.Empty));
            }
        }

        return jobs;
    }

    public JobStorage Storage => _hosts[0].Services.GetRequiredService<JobStorage>();

    public async ValueTask DisposeAsync()
    {
        foreach (IHost host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await Emulator.DisposeAsync();
        _server.DropSchema(Store);
        _server.DropSchema(new PostgreSqlStoreOptions { ConnectionString = _server.ConnectionString, Schema = HangfireSchema });
    }

    /// <summary>Each user's token is the user id, which the emulator takes as the mailbox name.</summary>
    private sealed class MailboxTokens : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(userId);
    }
}
