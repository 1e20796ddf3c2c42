using OutlookCalendarSync.Authentication;
using NodaTime;

namespace OutlookCalendarSync.Tests.Authentication;

/// <summary>The connect flow through the real MSAL client and the emulator's identity endpoints.</summary>
public sealed class MicrosoftAccountAuthorizationTests : IAsyncLifetime
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);
    private MicrosoftAccountTestHost _host = null!;

    public async Task InitializeAsync() => _host = await MicrosoftAccountTestHost.StartAsync(Now);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CompleteSignInAsync_CodeFromAuthorizeEndpoint_ConnectsAccount()
    {
        SignInResult result = await _host.ConnectAsync("user-1", "alice");

        Assert.Equal(SignInStatus.Connected, result.Status);
        Assert.Equal("user-1", result.UserId);
        MicrosoftAccountConnection? connection = await _host.Authorization.GetConnectionAsync("user-1");
        Assert.NotNull(connection);
        Assert.Equal("alice@emulator.test", connection.Username);
        Assert.Contains("Calendars.ReadWrite", connection.Scopes, StringComparer.OrdinalIgnoreCase);
    }
}
