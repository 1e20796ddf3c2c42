using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Stores;

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
        Assert.Equal("5e3f1c2a-0b1d-4e6f-9a8b-7c6d5e4f3a2b", connection.TenantId);
        Assert.EndsWith(".5e3f1c2a-0b1d-4e6f-9a8b-7c6d5e4f3a2b", connection.AccountId, StringComparison.Ordinal);
        Assert.Contains("Calendars.ReadWrite", connection.Scopes, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(Now, connection.ConnectedAt);
    }

    [Fact]
    public async Task CompleteSignInAsync_CertificateInsteadOfSecret_ConnectsAccount()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=OutlookCalendarSync test app", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, clientCertificate: certificate);

        // The emulator refuses a token request with neither a client secret nor a client assertion: connecting proves MSAL signed one.
        SignInResult result = await host.ConnectAsync("user-1", "alice");

        Assert.Equal(SignInStatus.Connected, result.Status);
    }

    [Fact]
    public async Task BuildSignInUrlAsync_Always_UsesPkceS256AndTheRegisteredRedirectUri()
    {
        Uri url = await _host.Authorization.BuildSignInUrlAsync("user-1");
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);

        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal("https://calendar.example.test/microsoft_account/authentication", query["redirect_uri"].ToString());
        Assert.True(query["state"].ToString().Length >= 40);
        Assert.StartsWith(_host.Emulator.AuthorityHost + "common/oauth2/v2.0/authorize", url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildSignInUrlAsync_TwoCalls_GiveDifferentStates()
    {
        Uri first = await _host.Authorization.BuildSignInUrlAsync("user-1");
        Uri second = await _host.Authorization.BuildSignInUrlAsync("user-1");

        Assert.NotEqual(State(first), State(second));
    }

    [Fact]
    public async Task CompleteSignInAsync_UnknownState_IsRejected()
    {
        Dictionary<string, string> query = await _host.SignInAsync(await _host.Authorization.BuildSignInUrlAsync("user-1"), "alice");
        query["state"] = "forged";

        SignInResult result = await _host.Authorization.CompleteSignInAsync(query, "user-1");

        Assert.Equal(SignInStatus.InvalidState, result.Status);
        Assert.Null(result.UserId);
        Assert.Null(await _host.Authorization.GetConnectionAsync("user-1"));
    }

    [Fact]
    public async Task CompleteSignInAsync_ReusedState_IsRejected()
    {
        Dictionary<string, string> query = await _host.SignInAsync(await _host.Authorization.BuildSignInUrlAsync("user-1"), "alice");
        Assert.True((await _host.Authorization.CompleteSignInAsync(query, "user-1")).IsConnected);

        SignInResult replay = await _host.Authorization.CompleteSignInAsync(query, "user-1");

        Assert.Equal(SignInStatus.InvalidState, replay.Status);
    }

    [Fact]
    public async Task CompleteSignInAsync_StateOlderThanTenMinutes_IsRejected()
    {
        Uri url = await _host.Authorization.BuildSignInUrlAsync("user-1");
        _host.Clock.Advance(Duration.FromMinutes(10) + Duration.FromSeconds(1));
        Dictionary<string, string> query = await _host.SignInAsync(url, "alice");

        SignInResult result = await _host.Authorization.CompleteSignInAsync(query, "user-1");

        Assert.Equal(SignInStatus.InvalidState, result.Status);
        Assert.Null(await _host.Authorization.GetConnectionAsync("user-1"));
    }

    [Fact]
    public async Task CompleteSignInAsync_StateOfAnotherUser_IsRejectedAndStaysUsableByItsOwner()
    {
        Dictionary<string, string> query = await _host.SignInAsync(await _host.Authorization.BuildSignInUrlAsync("attacker"), "alice");

        SignInResult result = await _host.Authorization.CompleteSignInAsync(query, "victim");

        Assert.Equal(SignInStatus.InvalidState, result.Status);
        Assert.Null(await _host.Authorization.GetConnectionAsync("attacker"));
        Assert.Null(await _host.Authorization.GetConnectionAsync("victim"));

        // Presented by another user, the owner's sign-in was neither used nor spoiled.
        SignInResult owner = await _host.Authorization.CompleteSignInAsync(query, "attacker");
        Assert.Equal(SignInStatus.Connected, owner.Status);
        Assert.Null(await _host.Authorization.GetConnectionAsync("victim"));
    }

    [Fact]
    public async Task CompleteSignInAsync_OtherUserHasOwnPendingSignIn_NeitherIsUsedUp()
    {
        Uri ownerUrl = await _host.Authorization.BuildSignInUrlAsync("user-1");
        Uri otherUrl = await _host.Authorization.BuildSignInUrlAsync("user-2");
        Dictionary<string, string> ownerQuery = await _host.SignInAsync(ownerUrl, "alice");
        Dictionary<string, string> otherQuery = await _host.SignInAsync(otherUrl, "bob");

        Assert.Equal(SignInStatus.InvalidState, (await _host.Authorization.CompleteSignInAsync(ownerQuery, "user-2")).Status);

        Assert.Equal("alice@emulator.test", (await _host.Authorization.CompleteSignInAsync(ownerQuery, "user-1")).Connection?.Username);
        Assert.Equal("bob@emulator.test", (await _host.Authorization.CompleteSignInAsync(otherQuery, "user-2")).Connection?.Username);
    }

    [Fact]
    public async Task CompleteSignInAsync_WithoutUser_Throws()
    {
        Dictionary<string, string> query = await _host.SignInAsync(await _host.Authorization.BuildSignInUrlAsync("user-1"), "alice");

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => _host.Authorization.CompleteSignInAsync(query, userId: null!));

        Assert.Contains("identifier of the user", error.Message, StringComparison.Ordinal);
        Assert.True((await _host.Authorization.CompleteSignInAsync(query, "user-1")).IsConnected);
    }

    [Fact]
    public async Task BuildSignInUrlAsync_SecondUrlOfSameUser_ReplacesTheFirst()
    {
        Uri first = await _host.Authorization.BuildSignInUrlAsync("user-1");
        Uri second = await _host.Authorization.BuildSignInUrlAsync("user-1");
        Dictionary<string, string> firstQuery = await _host.SignInAsync(first, "alice");
        Dictionary<string, string> secondQuery = await _host.SignInAsync(second, "alice");

        Assert.Equal(SignInStatus.InvalidState, (await _host.Authorization.CompleteSignInAsync(firstQuery, "user-1")).Status);
        Assert.Equal(SignInStatus.Connected, (await _host.Authorization.CompleteSignInAsync(secondQuery, "user-1")).Status);
    }

    [Fact]
    public async Task BuildSignInUrlAsync_ManyCallsOfOneUser_KeepOnePendingSignIn()
    {
        var store = (InMemoryPendingSignInStore)_host.Services.GetRequiredService<IPendingSignInStore>();

        for (int i = 0; i < 200; i++)
        {
            await _host.Authorization.BuildSignInUrlAsync("user-1");
        }

        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task BuildSignInUrlAsync_MorePendingUsersThanTheCap_DropsTheOldest()
    {
        await using MicrosoftAccountTestHost host = await MicrosoftAccountTestHost.StartAsync(Now, maxPendingSignIns: 2);
        Uri oldest = await host.Authorization.BuildSignInUrlAsync("user-1");
        host.Clock.Advance(Duration.FromSeconds(1));
        Uri middle = await host.Authorization.BuildSignInUrlAsync("user-2");
        host.Clock.Advance(Duration.FromSeconds(1));
        Uri newest = await host.Authorization.BuildSignInUrlAsync("user-3");

        Assert.Equal(2, ((InMemoryPendingSignInStore)host.Services.GetRequiredService<IPendingSignInStore>()).Count);
        Assert.Equal(SignInStatus.InvalidState, (await host.Authorization.CompleteSignInAsync(await host.SignInAsync(oldest, "alice"), "user-1")).Status);
        Assert.True((await host.Authorization.CompleteSignInAsync(await host.SignInAsync(middle, "bob"), "user-2")).IsConnected);
        Assert.True((await host.Authorization.CompleteSignInAsync(await host.SignInAsync(newest, "carol"), "user-3")).IsConnected);
    }

    [Fact]
    public async Task CompleteSignInAsync_StoreOfAnotherKeyRing_IsRejected()
    {
        // The payload is protected for the user with this server's key ring: a server that does not share it cannot use the row.
        Uri url = await _host.Authorization.BuildSignInUrlAsync("user-1");
        Dictionary<string, string> query = await _host.SignInAsync(url, "alice");
        IPendingSignInStore shared = _host.Services.GetRequiredService<IPendingSignInStore>();
        await using MicrosoftAccountTestHost other = await MicrosoftAccountTestHost.StartAsync(Now, pendingSignInStore: shared);

        SignInResult result = await other.Authorization.CompleteSignInAsync(query, "user-1");

        Assert.Equal(SignInStatus.InvalidState, result.Status);
    }

    [Fact]
    public async Task CompleteSignInAsync_CodeOfAnotherSignIn_FailsPkceVerification()
    {
        Uri first = await _host.Authorization.BuildSignInUrlAsync("user-1");
        Uri second = await _host.Authorization.BuildSignInUrlAsync("user-1");
        Dictionary<string, string> query = await _host.SignInAsync(first, "alice");

        // The code was issued for the first URL's challenge; the second URL's state carries a different verifier.
        SignInResult result = await _host.Authorization.CompleteSignInAsync(query["code"], State(second), null, null, "user-1");

        Assert.Equal(SignInStatus.Failed, result.Status);
        Assert.Equal("invalid_grant", result.Error);
        Assert.Null(await _host.Authorization.GetConnectionAsync("user-1"));
    }

    [Fact]
    public async Task CompleteSignInAsync_UserDeclinesConsent_ReportsDenied()
    {
        _host.Emulator.DenyConsent("bob");

        SignInResult result = await _host.ConnectAsync("user-2", "bob");

        Assert.Equal(SignInStatus.Denied, result.Status);
        Assert.Equal("access_denied", result.Error);
        Assert.Equal("user-2", result.UserId);
        Assert.Contains("declined", result.Message, StringComparison.Ordinal);
        Assert.Null(await _host.Authorization.GetConnectionAsync("user-2"));
    }

    [Fact]
    public async Task DisconnectAsync_ConnectedUser_ForgetsTheAccount()
    {
        await _host.ConnectAsync("user-1", "alice");

        await _host.Authorization.DisconnectAsync("user-1");

        Assert.Null(await _host.Authorization.GetConnectionAsync("user-1"));
        Assert.Null(await _host.TokenStore.GetAsync("user-1", default));
    }

    [Fact]
    public async Task CompleteSignInAsync_Connected_StoredBlobHoldsNoTokenInClear()
    {
        await _host.ConnectAsync("user-1", "alice");

        byte[] blob = (await _host.TokenStore.GetAsync("user-1", default))!;

        foreach (string marker in new[] { "emu-rt.", "emu-at.", "alice@emulator.test", "refresh_token", "secret" })
        {
            Assert.False(Contains(blob, System.Text.Encoding.UTF8.GetBytes(marker)), $"The stored blob contains '{marker}' in clear.");
            Assert.False(Contains(blob, System.Text.Encoding.Unicode.GetBytes(marker)), $"The stored blob contains '{marker}' in clear (UTF-16).");
        }
    }

    [Fact]
    public async Task UseMicrosoftAccount_MissingSettings_FailsAtStartWithPortalDirections()
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync().UseMicrosoftAccount(o => o.Scopes.Clear());
        using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MicrosoftAccountOptions>>().Value);

        Assert.Contains("'Application (client) ID'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Certificates & secrets", error.Message, StringComparison.Ordinal);
        Assert.Contains("Redirect URIs", error.Message, StringComparison.Ordinal);
        Assert.Contains("Calendars.ReadWrite", error.Message, StringComparison.Ordinal);
        Assert.Contains("ITokenStore", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddDataProtection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseMicrosoftAccount_SecretAndCertificateWithoutPrivateKey_SaysWhatToFix()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=test", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(withKey.RawData);

        string Validate(Action<MicrosoftAccountOptions> configure)
        {
            var services = new ServiceCollection();
            services.AddOutlookCalendarSync().UseMicrosoftAccount(o =>
            {
                o.ClientId = "client";
                o.PublicBaseUrl = new Uri("https://calendar.example.test/");
                configure(o);
            });
            using ServiceProvider provider = services.BuildServiceProvider();
            return Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
                () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MicrosoftAccountOptions>>().Value).Message;
        }

        Assert.Contains("set only one", Validate(o => { o.ClientSecret = "secret"; o.ClientCertificate = withKey; }), StringComparison.Ordinal);
        Assert.Contains("has no private key", Validate(o => o.ClientCertificate = publicOnly), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseMicrosoftAccount_KeyRingDirectoryWithoutHostProvider_TokensSurviveARestart()
    {
        string folder = Directory.CreateTempSubdirectory("ocs-keys-").FullName;
        try
        {
            var tokens = new OutlookCalendarSync.Testing.InMemoryTokenStore();
            var connected = new ConnectedAccount("oid.tid", "alice@emulator.test", "tid", ["Calendars.ReadWrite"], Now, [1, 2, 3]);
            using (ServiceProvider first = KeyRingServices(folder, tokens))
            {
                await first.GetRequiredService<ProtectedTokenStore>().SetAsync("user-1", connected, default);
            }

            using ServiceProvider second = KeyRingServices(folder, tokens);
            ConnectedAccount? read = await second.GetRequiredService<ProtectedTokenStore>().GetAsync("user-1", default);

            Assert.Equal("alice@emulator.test", read?.Username);
            Assert.Equal([1, 2, 3], read?.MsalCache);
            Assert.NotEmpty(Directory.GetFiles(folder, "*.xml"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ServiceProvider KeyRingServices(string folder, OutlookCalendarSync.Testing.InMemoryTokenStore tokens)
    {
        var services = new ServiceCollection();
        services.AddOutlookCalendarSync()
            .UseTokenStore(tokens)
            .UseSyncStateStore(new OutlookCalendarSync.Testing.InMemorySyncStateStore())
            .UseMicrosoftAccount(o =>
            {
                o.ClientId = "client";
                o.ClientSecret = "secret";
                o.PublicBaseUrl = new Uri("https://calendar.example.test/");
                o.KeyRingDirectory = folder;
            });
        return services.BuildServiceProvider();
    }

    private static string State(Uri url) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query)["state"].ToString();

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
