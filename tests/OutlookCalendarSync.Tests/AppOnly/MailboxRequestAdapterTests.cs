using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Abstractions.Store;
using Microsoft.Kiota.Abstractions.Authentication;
using OutlookCalendarSync.AppOnly;

namespace OutlookCalendarSync.Tests.AppOnly;

/// <summary>The one place app-only requests differ: <c>/me/…</c> becomes <c>/users/{mailbox}/…</c>, in single requests and in <c>$batch</c>.</summary>
public sealed class MailboxRequestAdapterTests
{
    private const string BaseUrl = "https://graph.example.test/v1.0";

    [Fact]
    public async Task ConvertToNativeRequestAsync_MeRoute_BecomesUsersRoute()
    {
        GraphServiceClient client = Client("ada@contoso.com");

        using HttpRequestMessage? request = await client.RequestAdapter.ConvertToNativeRequestAsync<HttpRequestMessage>(
            client.Me.Events["AAMk"].ToGetRequestInformation(c => c.QueryParameters.Select = ["id"]));

        Assert.Equal("https://graph.example.test/v1.0/users/ada%40contoso.com/events/AAMk?%24select=id", request!.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task SendNoContentAsync_BatchEnvelope_ItemsOnMeBecomeUsersRoutes()
    {
        var inner = new RecordingAdapter();
        var adapter = new MailboxRequestAdapter(inner, "ada@contoso.com");
        var request = new RequestInformation(Method.POST, "{+baseurl}/$batch", new Dictionary<string, object>());
        request.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes(
            """{"requests":[{"id":"1","method":"GET","url":"/me/events/AAMk?$select=id"},{"id":"2","method":"GET","url":"/users/bob/events"},{"id":"3","method":"POST","url":"/me/events"}]}""")), "application/json");

        await adapter.SendNoContentAsync(request);

        JsonArray items = JsonNode.Parse(inner.Sent!.Content)!["requests"]!.AsArray();
        Assert.Equal(["/users/ada%40contoso.com/events/AAMk?$select=id", "/users/bob/events", "/users/ada%40contoso.com/events"], items.Select(i => (string)i!["url"]!).ToArray());
    }

    [Fact]
    public async Task ConvertToNativeRequestAsync_AbsoluteLinkOfTheUser_Unchanged()
    {
        GraphServiceClient client = Client("ada@contoso.com");
        const string link = "https://graph.example.test/v1.0/users/ada%40contoso.com/calendarView/delta?$deltatoken=abc";

        using HttpRequestMessage? request = await client.RequestAdapter.ConvertToNativeRequestAsync<HttpRequestMessage>(
            client.Me.CalendarView.Delta.WithUrl(link).ToGetRequestInformation());

        Assert.Equal(link, request!.RequestUri!.OriginalString);
    }

    private static GraphServiceClient Client(string mailbox)
    {
        var inner = new BaseGraphRequestAdapter(new AnonymousAuthenticationProvider()) { BaseUrl = BaseUrl };
        return new GraphServiceClient(new MailboxRequestAdapter(inner, mailbox), BaseUrl);
    }

    /// <summary>Records the request it is asked to send, as the HTTP adapter would take it; sends nothing.</summary>
    private sealed class RecordingAdapter : IRequestAdapter
    {
        public RequestInformation? Sent { get; private set; }

        public ISerializationWriterFactory SerializationWriterFactory => throw new NotSupportedException();

        public string? BaseUrl { get; set; } = MailboxRequestAdapterTests.BaseUrl;

        public void EnableBackingStore(IBackingStoreFactory backingStoreFactory) => throw new NotSupportedException();

        public Task<ModelType?> SendAsync<ModelType>(RequestInformation requestInfo, ParsableFactory<ModelType> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
            where ModelType : IParsable => throw new NotSupportedException();

        public Task<IEnumerable<ModelType>?> SendCollectionAsync<ModelType>(RequestInformation requestInfo, ParsableFactory<ModelType> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
            where ModelType : IParsable => throw new NotSupportedException();

        public Task<ModelType?> SendPrimitiveAsync<ModelType>(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IEnumerable<ModelType>?> SendPrimitiveCollectionAsync<ModelType>(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task SendNoContentAsync(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        {
            Sent = requestInfo;
            return Task.CompletedTask;
        }

        public Task<T?> ConvertToNativeRequestAsync<T>(RequestInformation requestInfo, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
