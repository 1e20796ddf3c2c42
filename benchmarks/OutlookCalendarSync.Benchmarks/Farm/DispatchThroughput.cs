using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Hangfire;
using OutlookCalendarSync.PostgreSql;
using OutlookCalendarSync.Stores;
using OutlookCalendarSync.TestSupport;

namespace OutlookCalendarSync.Benchmarks.Farm;

/// <summary>
/// The Hangfire dispatcher alone (issue 11 item 5): N connected users, all due, in the PostgreSQL state store; one dispatch
/// (<c>DueBatchSize</c> = N) on Hangfire.PostgreSql per <c>DispatchParallelism</c> given, each into a fresh Hangfire schema of the
/// same throwaway cluster, side by side in one run. No Hangfire server runs, so the figure is the enqueueing alone: users enqueued
/// per second.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/OutlookCalendarSync.Benchmarks -- --dispatch &lt;users&gt; [--parallelism 1,8,16]</c>.
/// Needs initdb and pg_ctl on PATH (/usr/lib/postgresql/15/bin). Parallelism 1 makes, per user, the same storage calls as the
/// dispatcher before DispatchParallelism existed (one user at a time on the dispatch's connection).
/// </remarks>
internal static class DispatchThroughput
{
    public const string Argument = "--dispatch";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int userCount) || userCount < 1)
        {
            Console.Error.WriteLine("Usage: --dispatch <users> [--parallelism 1,8,16]");
            return 2;
        }

        int[] parallelisms = [1, 8, 16];
        if (args.Length >= 3 && args[1] == "--parallelism")
        {
            parallelisms = [.. args[2].Split(',').Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture))];
        }

        Console.WriteLine($"Dispatch of {userCount} due users, parallelism {string.Join(", ", parallelisms)}, {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}.");
        using var postgres = new ThrowawayPostgreSqlCluster(maxConnections: 100, maximumPoolSize: 80);
        var store = new PostgreSqlStoreOptions { ConnectionString = postgres.ConnectionString, Schema = "dispatch" };
        var state = new PostgreSqlSyncStateStore(store, SystemClock.Instance);
        Stopwatch seeding = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, userCount).Select(n => $"user-{n:00000}"),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (user, cancellationToken) => await state.SaveAsync(new SyncStateChanges(new SyncStateHeader(user)), cancellationToken));
        Console.WriteLine($"Seeded {userCount} due users in {seeding.Elapsed.TotalSeconds:0} s.");

        foreach (int parallelism in parallelisms)
        {
            var hangfire = new PostgreSqlStorage(
                new global::Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(postgres.ConnectionString, new PostgreSqlStorageOptions()),
                new PostgreSqlStorageOptions { SchemaName = $"hf_p{parallelism}", PrepareSchemaIfNecessary = true });
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<JobStorage>(hangfire);
            services.AddOutlookCalendarSync()
                .UseSyncStateStore(state)
                .UseCalendarStore(new PostgreSqlCalendarStore(store, SystemClock.Instance))
                .UseAccessTokenProvider(new NoTokens())
                .UseMicrosoftGraph(o => o.GraphBaseUrl = new Uri("http://127.0.0.1:9/v1.0/"))
                .AddHangfireScheduling(o =>
                {
                    o.DueBatchSize = userCount;
                    o.DispatchParallelism = parallelism;
                });
            await using ServiceProvider provider = services.BuildServiceProvider();
            var jobs = provider.GetRequiredService<OutlookCalendarSyncJobs>();
            string load = File.ReadAllText("/proc/loadavg").Trim();
            Stopwatch elapsed = Stopwatch.StartNew();
            string outcome = await jobs.DispatchAsync(CancellationToken.None);
            elapsed.Stop();
            long enqueued = hangfire.GetMonitoringApi().EnqueuedCount("default");
            Console.WriteLine(
                $"parallelism {parallelism,2}: {enqueued} jobs enqueued in {elapsed.Elapsed.TotalSeconds:0.0} s = {enqueued / elapsed.Elapsed.TotalSeconds:0} users/s " +
                $"(load before: {load}). Dispatch: {outcome}");
        }

        return 0;
    }

    /// <summary>No sync runs here (no Hangfire server), so no token is ever asked for.</summary>
    private sealed class NoTokens : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The dispatch benchmark runs no sync.");
    }
}
