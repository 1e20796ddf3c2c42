using Microsoft.Extensions.DependencyInjection;
using MyApp;
using NodaTime;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Cli.Tests;

public sealed class ReadmeTests
{
    [Fact]
    public void Readme_QuickStartBlock_IsTheCompiledSample()
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        string sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Readme", "QuickStart.cs"));

        string block = CodeBlocks(readme, "csharp").First();

        Assert.Equal(Normalize(sample), Normalize(block));
    }

    [Fact]
    public void Readme_Commands_AreTheMainJobAndTheTests()
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));

        Assert.Contains("dotnet run --project src/OutlookCalendarSync.Cli", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet test OutlookCalendarSync.sln", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuickStart_SyncAsyncOnTheGraphEmulator_PushesTheUsersEventToOutlook()
    {
        string folder = Path.Combine(Path.GetTempPath(), "ocs-readme-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        string previous = Environment.CurrentDirectory;
        try
        {
            // The sample names a relative "calendar.db": give it a folder of its own.
            Environment.CurrentDirectory = folder;
            await using GraphEmulator emulator = await GraphEmulator.StartAsync();
            await using ServiceProvider services = new ServiceCollection()
                .AddCalendarSync(new MailboxTokens(), emulator.GraphBaseUrl)
                .BuildServiceProvider();
            Instant tomorrow = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(1);
            services.GetRequiredService<OutlookCalendarSync.Sqlite.SqliteCalendarStore>().AddByUser("ada", new CalendarEvent
            {
                Subject = "Sprint planning",
                Timing = EventTiming.Timed(tomorrow.InUtc(), (tomorrow + Duration.FromHours(1)).InUtc()),
            });

            SyncResult result = await CalendarSync.SyncAsync(services, "ada");

            Assert.Equal(SyncRunStatus.Synced, result.Status);
            Assert.Equal("Sprint planning", Assert.Single(emulator.GetEvents("ada"))["subject"]!.GetValue<string>());
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The emulator takes the bearer token as the mailbox name.</summary>
    private sealed class MailboxTokens : IUserAccessTokenProvider
    {
        public Task<string> GetAccessTokenAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(userId);
    }

    private static IEnumerable<string> CodeBlocks(string markdown, string language)
    {
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```" + language)
            {
                continue;
            }

            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            yield return string.Join('\n', lines[(i + 1)..end]);
            i = end;
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
