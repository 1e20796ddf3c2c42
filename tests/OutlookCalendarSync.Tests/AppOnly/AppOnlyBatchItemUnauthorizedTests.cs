using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using NodaTime;
using OutlookCalendarSync.AppOnly;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>
/// Graph refusing the app-only token item by item inside a <c>$batch</c> (a 200 whose items are 401, played by the emulator's
/// <see cref="GraphFault.Unauthorized"/> fault), through the real GraphServiceClient and MSAL: a batch refused in every item is
/// sent again with a new token, a partly refused one is not; a retry that used a replacement another request had cached is
/// refused once more only after a token issued for it.
/// </summary>
public sealed class AppOnlyBatchItemUnauthorizedTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    [Fact]
    public async Task Batch_EveryItemRefused_IsSentAgainWithANewToken()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        using var recorder = new BatchTokenRecorder();
        await using AsyncServiceScope scope = host.Services.CreateAsyncScope();
        GraphServiceClient client = await ConnectedClientAsync(host, scope.ServiceProvider, recorder);
        using IDisposable fault = host.Emulator.InjectFault(GraphFault.Unauthorized() with { Method = "GET", PathPattern = "/me/events$", Times = 1 });

        var batch = new BatchRequestContentCollection(client);
        string step = await batch.AddBatchRequestStepAsync(client.Me.Events.ToGetRequestInformation());
        BatchResponseContentCollection response = await client.Batch.PostAsync(batch);
        EventCollectionResponse? events = await response.GetResponseByIdAsync<EventCollectionResponse>(step);

        Assert.Equal("Listed", Assert.Single(events!.Value!).Subject);
        Assert.Equal([401, 200], host.Emulator.RequestLog.Where(e => e.InBatch).Select(e => e.StatusCode));
        Assert.Equal(2, recorder.Tokens.Distinct().Count());
        Assert.Equal(1, host.TokenRequests());
        Assert.Equal(TenantConsentStatus.Consented, host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
    }

    [Fact]
    public async Task Batch_SomeItemsRefused_NotSentAgain_TokenRenewedAndTheRunFailsTransiently()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        using var recorder = new BatchTokenRecorder();
        await using AsyncServiceScope scope = host.Services.CreateAsyncScope();
        GraphServiceClient client = await ConnectedClientAsync(host, scope.ServiceProvider, recorder);
        using IDisposable fault = host.Emulator.InjectFault(GraphFault.Unauthorized() with { Method = "GET", PathPattern = "/me/events$", Times = 1 });

        var batch = new BatchRequestContentCollection(client);
        await batch.AddBatchRequestStepAsync(client.Me.Events.ToGetRequestInformation());
        await batch.AddBatchRequestStepAsync(client.Me.Calendar.ToGetRequestInformation());
        var error = await Assert.ThrowsAsync<OutlookCalendarSyncException>(() => client.Batch.PostAsync(batch));

        Assert.IsNotType<TenantConsentRequiredException>(error);
        Assert.Contains("for some requests of a batch (401 InvalidAuthenticationToken)", error.Message, StringComparison.Ordinal);
        Assert.Single(recorder.Tokens);
        Assert.Equal([401, 200], host.Emulator.RequestLog.Where(e => e.InBatch).Select(e => e.StatusCode));
        Assert.Equal(1, host.TokenRequests());
        Assert.NotEqual(recorder.Tokens[0], await host.Services.GetRequiredService<AppOnlyTokenProvider>().GetAccessTokenAsync(AppOnlyTestHost.Tenant, default));
        Assert.Equal(TenantConsentStatus.Consented, host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
    }

    [Fact]
    public async Task Batch_RetryWithTheReplacementAnotherRequestCached_RefusedToo_ForcesANewTokenBeforeJudgingTheTenant()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        var tokens = host.Services.GetRequiredService<AppOnlyTokenProvider>();

        // Between the first answer and this request's renewal, another request of the tenant is refused and replaces the token.
        using var recorder = new BatchTokenRecorder(async (sent, index) =>
        {
            if (index == 0)
            {
                await tokens.RenewRejectedAsync(AppOnlyTestHost.Tenant, sent, default);
            }
        });
        await using AsyncServiceScope scope = host.Services.CreateAsyncScope();
        GraphServiceClient client = await ConnectedClientAsync(host, scope.ServiceProvider, recorder);
        using IDisposable fault = host.Emulator.InjectFault(GraphFault.Unauthorized() with { Method = "GET", PathPattern = "/me/events$", Times = 2 });

        var batch = new BatchRequestContentCollection(client);
        string step = await batch.AddBatchRequestStepAsync(client.Me.Events.ToGetRequestInformation());
        BatchResponseContentCollection response = await client.Batch.PostAsync(batch);
        EventCollectionResponse? events = await response.GetResponseByIdAsync<EventCollectionResponse>(step);

        Assert.Equal("Listed", Assert.Single(events!.Value!).Subject);
        Assert.Equal([401, 401, 200], host.Emulator.RequestLog.Where(e => e.InBatch).Select(e => e.StatusCode));
        Assert.Equal(3, recorder.Tokens.Distinct().Count());
        Assert.Equal(2, host.TokenRequests()); // the other request's replacement, then the one forced for this retry
        Assert.Equal(TenantConsentStatus.Consented, host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
    }

    [Fact]
    public async Task Batch_EveryItemRefusedEvenWithANewToken_TenantMisconfigured()
    {
        await using AppOnlyTestHost host = await AppOnlyTestHost.StartAsync(Now);
        using var recorder = new BatchTokenRecorder();
        await using AsyncServiceScope scope = host.Services.CreateAsyncScope();
        GraphServiceClient client = await ConnectedClientAsync(host, scope.ServiceProvider, recorder);
        using IDisposable fault = host.Emulator.InjectFault(GraphFault.Unauthorized() with { Method = "GET", PathPattern = "/me/events$" });

        var batch = new BatchRequestContentCollection(client);
        await batch.AddBatchRequestStepAsync(client.Me.Events.ToGetRequestInformation());
        await Assert.ThrowsAsync<TenantConsentRequiredException>(() => client.Batch.PostAsync(batch));

        Assert.Equal(2, recorder.Tokens.Distinct().Count());
        Assert.Equal(1, host.TokenRequests());
        Assert.Equal(TenantConsentStatus.Misconfigured, host.Authorization.GetTenantConsent(AppOnlyTestHost.Tenant).Status);
    }

    /// <summary>
    /// A consented tenant, alice's mailbox with one event, and a Graph client of the app-only adapter for it whose first request
    /// (a plain GET) cached the tenant's token; the request log and the token count start after it.
    /// </summary>
    private static async Task<GraphServiceClient> ConnectedClientAsync(AppOnlyTestHost host, IServiceProvider scoped, BatchTokenRecorder recorder)
    {
        host.RegisterConsentedApp();
        host.SeedRemote("alice", "Listed");
        var mailboxes = scoped.GetRequiredService<AppOnlyMailboxes>();
        GraphServiceClient client = mailboxes.CreateClient(new AppOnlyMailbox(AppOnlyTestHost.Tenant, "alice"), recorder.Client, host.Emulator.GraphBaseUrl.ToString().TrimEnd('/'), host.Emulator.GraphBaseUrl.Host);
        Assert.Single((await client.Me.Events.GetAsync())!.Value!);
        host.Emulator.ResetRequestLog();
        recorder.Tokens.Clear();
        return client;
    }

    /// <summary>The transport under the app-only adapter: records the bearer token of each <c>$batch</c> it sends, in order.</summary>
    private sealed class BatchTokenRecorder : DelegatingHandler
    {
        private readonly Func<string, int, Task>? _afterAnswer;

        public BatchTokenRecorder(Func<string, int, Task>? afterAnswer = null)
            : base(new SocketsHttpHandler())
        {
            _afterAnswer = afterAnswer;
            Client = new HttpClient(this, disposeHandler: false);
        }

        public List<string> Tokens { get; } = [];

        public HttpClient Client { get; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal))
            {
                string token = request.Headers.Authorization!.Parameter!;
                Tokens.Add(token);
                if (_afterAnswer is not null)
                {
                    await _afterAnswer(token, Tokens.Count - 1);
                }
            }

            return response;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Client.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
