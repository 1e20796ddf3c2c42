using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Tests.Authentication;

/// <summary>Sync runs whose Graph tokens come from connected accounts: refresh, revocation, and what the logs hold.</summary>
public sealed class MicrosoftAccountSyncTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    [Fact]
    public async Task SyncAsync_ConnectedAccount_SyncsWithIssuedTokens()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now);
        await host.ConnectAsync("user-1", "alice");
        SeedRemote(host, "alice", "Dentist");

        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.Equal("Dentist", Assert.Single(host.Local.GetAll("user-1")).Subject);
    }

    [Fact]
    public async Task SyncAsync_NotConnected_ReturnsNeedsReauthorization()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now);

        SyncResult result = await host.Engine.SyncAsync("user-1");
        SyncResult again = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.NeedsReauthorization, result.Status);
        Assert.Contains("has not connected", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked", result.Message, StringComparison.Ordinal);
        Assert.Equal(result.Message, again.Message);
        Assert.Equal(result.Message, (await host.Engine.GetStatusAsync("user-1")).LastError);
    }

    [Fact]
    public async Task SyncAsync_AccessTokenExpired_RefreshesAndSavesTheRolledRefreshToken()
    {
        // Tokens shorter-lived than MSAL's five-minute margin are refreshed on every silent request.
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, accessTokenLifetime: TimeSpan.FromMinutes(4));
        await host.ConnectAsync("user-1", "alice");
        byte[] before = (await host.TokenStore.GetAsync("user-1", default))!;
        host.Clock.Advance(Duration.FromMinutes(5));
        SeedRemote(host, "alice", "Dentist");
        host.Emulator.ResetRequestLog();

        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.Equal(SyncRunStatus.Synced, result.Status);
        Assert.True(host.Emulator.CountRequests("POST /{tenant}/oauth2/v2.0/token") >= 1);
        Assert.DoesNotContain(host.Emulator.RequestLog, e => e.StatusCode == 401);
        Assert.NotEqual(before, await host.TokenStore.GetAsync("user-1", default));

        // The rotated refresh token was saved: the old one is spent, yet the next run still gets tokens.
        host.Clock.Advance(Duration.FromMinutes(5));
        Assert.NotEqual(SyncRunStatus.NeedsReauthorization, (await host.Engine.SyncAsync("user-1")).Status);
    }

    [Fact]
    public async Task SyncAsync_ConsentRevoked_NeedsReauthorizationForThatUserOnly()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, accessTokenLifetime: TimeSpan.FromMinutes(4));
        await host.ConnectAsync("user-1", "alice");
        await host.ConnectAsync("user-2", "bob");
        SeedRemote(host, "alice", "Alice's");
        SeedRemote(host, "bob", "Bob's");
        host.Emulator.RevokeConsent("alice");
        host.Clock.Advance(Duration.FromMinutes(5));

        SyncResult alice = await host.Engine.SyncAsync("user-1");
        SyncResult bob = await host.Engine.SyncAsync("user-2");

        Assert.Equal(SyncRunStatus.NeedsReauthorization, alice.Status);
        Assert.Equal(SyncStatus.NeedsReauthorization, (await host.StateStore.GetHeaderAsync("user-1", default))!.Status);
        Assert.Equal(SyncRunStatus.Synced, bob.Status);
        Assert.Equal("Bob's", Assert.Single(host.Local.GetAll("user-2")).Subject);
    }

    [Fact]
    public async Task CompleteSignInAsync_AfterRevocation_ReactivatesTheUser()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, accessTokenLifetime: TimeSpan.FromMinutes(4));
        await host.ConnectAsync("user-1", "alice");
        host.Emulator.RevokeConsent("alice");
        host.Clock.Advance(Duration.FromMinutes(5));
        Assert.Equal(SyncRunStatus.NeedsReauthorization, (await host.Engine.SyncAsync("user-1")).Status);
        SeedRemote(host, "alice", "Dentist");

        SignInResult reconnect = await host.ConnectAsync("user-1", "alice");
        SyncResult result = await host.Engine.SyncAsync("user-1");

        Assert.True(reconnect.IsConnected);
        Assert.Equal(SyncStatus.Active, (await host.StateStore.GetHeaderAsync("user-1", default))!.Status);
        Assert.Equal(SyncRunStatus.Synced, result.Status);
    }

    [Fact]
    public async Task GraphRoutes_TokenNotIssuedOrOfAnotherMailbox_Answer401OrOtherMailbox()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now);
        using var http = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Emulator.GraphBaseUrl, "me/events"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "alice");
        using HttpResponseMessage response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Logs_FullConnectAndSync_HoldNoTokenCodeStateOrSecret()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, accessTokenLifetime: TimeSpan.FromMinutes(4));
        Uri url = await host.Authorization.BuildSignInUrlAsync("user-1");
        Dictionary<string, string> query = await host.SignInAsync(url, "alice");
        string verifier = await PendingVerifierAsync(host, "user-1", query["state"]);
        await host.Authorization.CompleteSignInAsync(query, "user-1");
        SeedRemote(host, "alice", "Dentist");
        host.Clock.Advance(Duration.FromMinutes(5));
        await host.Engine.SyncAsync("user-1");
        host.Emulator.RevokeConsent("alice");
        await host.Engine.SyncAsync("user-1");

        string logs = string.Join("\n", host.Logs.Lines);
        Assert.Contains("user-1", logs, StringComparison.Ordinal);
        foreach (string secret in new[] { "emu-at.", "emu-rt.", "emu-code.", query["code"], query["state"], verifier, MicrosoftAccountTestHost.ClientSecret, "code_verifier", "code_challenge" })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    /// <summary>Reads the PKCE verifier of the user's pending sign-in (taking it, then putting it back).</summary>
    private static async Task<string> PendingVerifierAsync(MicrosoftAccountTestHost host, string userId, string state)
    {
        PendingSignIns pending = host.Services.GetRequiredService<PendingSignIns>();
        string verifier = (await pending.TakeAsync(userId, state, host.Clock.GetCurrentInstant(), default))!;
        await pending.AddAsync(userId, state, verifier, host.Clock.GetCurrentInstant() + Duration.FromMinutes(10), default);
        return verifier;
    }

    private static void SeedRemote(MicrosoftAccountTestHost host, string mailbox, string subject) =>
        host.Emulator.AddEvent(mailbox, $$$"""{"subject":"{{{subject}}}","start":{"dateTime":"2026-11-25T14:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2026-11-25T15:00:00","timeZone":"W. Europe Standard Time"}}""");
}
