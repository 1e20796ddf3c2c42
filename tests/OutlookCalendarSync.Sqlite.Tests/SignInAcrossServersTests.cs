using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Sqlite.Tests;

/// <summary>
/// Two servers of a farm, each its own DI container with its own <see cref="IMicrosoftAccountAuthorization"/>, sharing only the
/// SQLite file (<c>UseSqliteStores</c>) and the Data Protection key ring folder: the real MSAL against the emulator's identity
/// endpoints.
/// </summary>
public sealed class SignInAcrossServersTests : IAsyncLifetime, IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly string _keyRing = Directory.CreateTempSubdirectory("ocs-keys-").FullName;
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 30, 8, 0));
    private GraphEmulator _emulator = null!;
    private EmulatorBrowser _browser = null!;
    private ServiceProvider _serverA = null!;
    private ServiceProvider _serverB = null!;

    private IMicrosoftAccountAuthorization A => _serverA.GetRequiredService<IMicrosoftAccountAuthorization>();

    private IMicrosoftAccountAuthorization B => _serverB.GetRequiredService<IMicrosoftAccountAuthorization>();

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Clock = _clock, RequireIssuedAccessTokens = true });
        _browser = new EmulatorBrowser(_emulator);
        _serverA = Server();
        _serverB = Server();
    }

    public async Task DisposeAsync()
    {
        await _serverA.DisposeAsync();
        await _serverB.DisposeAsync();
        await _emulator.DisposeAsync();
        _database.Dispose();
        Directory.Delete(_keyRing, recursive: true);
    }

    public void Dispose() => _browser.Dispose();

    [Fact]
    public async Task CompleteSignInAsync_UrlBuiltOnOneServer_ConnectsOnTheOther()
    {
        Uri url = await A.BuildSignInUrlAsync("user-1");
        IReadOnlyDictionary<string, string> callback = await _browser.SignInAsync(url, "alice");

        SignInResult result = await B.CompleteSignInAsync(callback, "user-1");

        Assert.Equal(SignInStatus.Connected, result.Status);
        Assert.Equal("alice@emulator.test", (await A.GetConnectionAsync("user-1"))?.Username);
    }

    [Fact]
    public async Task CompleteSignInAsync_ReplayedOnEitherServer_IsRejected()
    {
        IReadOnlyDictionary<string, string> callback = await _browser.SignInAsync(await A.BuildSignInUrlAsync("user-1"), "alice");
        Assert.True((await B.CompleteSignInAsync(callback, "user-1")).IsConnected);

        Assert.Equal(SignInStatus.InvalidState, (await A.CompleteSignInAsync(callback, "user-1")).Status);
        Assert.Equal(SignInStatus.InvalidState, (await B.CompleteSignInAsync(callback, "user-1")).Status);
    }

    [Fact]
    public async Task CompleteSignInAsync_AnotherUserOnTheOtherServer_FailsWithoutConsuming()
    {
        IReadOnlyDictionary<string, string> callback = await _browser.SignInAsync(await A.BuildSignInUrlAsync("user-1"), "alice");

        SignInResult stranger = await B.CompleteSignInAsync(callback, "user-2");

        Assert.Equal(SignInStatus.InvalidState, stranger.Status);
        Assert.Null(await B.GetConnectionAsync("user-2"));
        Assert.True((await B.CompleteSignInAsync(callback, "user-1")).IsConnected);
        Assert.Null(await A.GetConnectionAsync("user-2"));
    }

    [Fact]
    public async Task CompleteSignInAsync_SameCallbackOnBothServersAtOnce_ConnectsOnce()
    {
        IReadOnlyDictionary<string, string> callback = await _browser.SignInAsync(await A.BuildSignInUrlAsync("user-1"), "alice");

        SignInResult[] results = await Task.WhenAll(
            Task.Run(() => A.CompleteSignInAsync(callback, "user-1")),
            Task.Run(() => B.CompleteSignInAsync(callback, "user-1")));

        Assert.Single(results, r => r.Status == SignInStatus.Connected);
        Assert.Single(results, r => r.Status == SignInStatus.InvalidState);
    }

    [Fact]
    public async Task BuildSignInUrlAsync_NewerUrlOnTheOtherServer_ReplacesTheOlder()
    {
        Uri older = await A.BuildSignInUrlAsync("user-1");
        Uri newer = await B.BuildSignInUrlAsync("user-1");

        Assert.Equal(SignInStatus.InvalidState, (await B.CompleteSignInAsync(await _browser.SignInAsync(older, "alice"), "user-1")).Status);
        Assert.True((await A.CompleteSignInAsync(await _browser.SignInAsync(newer, "alice"), "user-1")).IsConnected);
    }

    [Fact]
    public async Task BuildSignInUrlAsync_ExpiredSignInsOfOthers_AreDeletedFromTheFile()
    {
        await A.BuildSignInUrlAsync("user-1");
        await A.BuildSignInUrlAsync("user-2");
        _clock.Advance(Duration.FromMinutes(11));

        await B.BuildSignInUrlAsync("user-3");

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_id FROM pending_sign_ins;";
        Assert.Equal("user-3", command.ExecuteScalar());
        command.CommandText = "SELECT COUNT(*) FROM pending_sign_ins;";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    private ServiceProvider Server()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(_clock);
        services.AddOutlookCalendarSync()
            .UseSqliteStores(o => o.DatabasePath = _database.Path)
            .UseMicrosoftAccount(o =>
            {
                o.ClientId = "11111111-2222-3333-4444-555555555555";
                o.ClientSecret = "emulator-client-secret-value";
                o.PublicBaseUrl = new Uri("https://calendar.example.test/");
                o.AuthorityHost = _emulator.AuthorityHost;
                o.HttpClientFactory = _emulator.MsalHttpClientFactory;
                o.KeyRingDirectory = _keyRing;
            });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
