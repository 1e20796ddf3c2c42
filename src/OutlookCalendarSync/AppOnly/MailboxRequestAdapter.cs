using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Abstractions.Store;

namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// Sends the Graph adapter's <c>/me/…</c> requests to <c>/users/{mailbox}/…</c>: the one place app-only users differ from
/// delegated ones, so the adapter's request code stays the same for both. Every request passes through here; a <c>$batch</c>
/// envelope has the relative <c>url</c> of each of its items rewritten the same way (the SDK's batch content builds its items
/// apart from this adapter), and absolute links Graph returned (<c>@odata.nextLink</c>, delta links) already name the user and
/// pass unchanged.
/// </summary>
internal sealed class MailboxRequestAdapter(IRequestAdapter inner, string mailbox) : IRequestAdapter
{
    private readonly string _usersPrefix = "/users/" + Uri.EscapeDataString(mailbox);

    public ISerializationWriterFactory SerializationWriterFactory => inner.SerializationWriterFactory;

    public string? BaseUrl
    {
        get => inner.BaseUrl;
        set => inner.BaseUrl = value;
    }

    public void EnableBackingStore(IBackingStoreFactory backingStoreFactory) => inner.EnableBackingStore(backingStoreFactory);

    public Task<ModelType?> SendAsync<ModelType>(RequestInformation requestInfo, ParsableFactory<ModelType> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        where ModelType : IParsable
        => inner.SendAsync(ToMailbox(requestInfo), factory, errorMapping, cancellationToken);

    public Task<IEnumerable<ModelType>?> SendCollectionAsync<ModelType>(RequestInformation requestInfo, ParsableFactory<ModelType> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        where ModelType : IParsable
        => inner.SendCollectionAsync(ToMailbox(requestInfo), factory, errorMapping, cancellationToken);

    public Task<ModelType?> SendPrimitiveAsync<ModelType>(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        => inner.SendPrimitiveAsync<ModelType>(ToMailbox(requestInfo), errorMapping, cancellationToken);

    public Task<IEnumerable<ModelType>?> SendPrimitiveCollectionAsync<ModelType>(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        => inner.SendPrimitiveCollectionAsync<ModelType>(ToMailbox(requestInfo), errorMapping, cancellationToken);

    public Task SendNoContentAsync(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        => inner.SendNoContentAsync(ToMailbox(requestInfo), errorMapping, cancellationToken);

    public Task<T?> ConvertToNativeRequestAsync<T>(RequestInformation requestInfo, CancellationToken cancellationToken = default)
        => inner.ConvertToNativeRequestAsync<T>(ToMailbox(requestInfo), cancellationToken);

    private RequestInformation ToMailbox(RequestInformation request)
    {
        // Templates need the base URL to expand; the SDK sets it on the request as the adapter would.
        if (!request.PathParameters.ContainsKey("baseurl") && request.UrlTemplate?.Contains("{+baseurl}", StringComparison.Ordinal) == true)
        {
            request.PathParameters["baseurl"] = inner.BaseUrl ?? string.Empty;
        }

        Uri uri = request.URI;
        string basePath = new Uri(inner.BaseUrl!.TrimEnd('/') + "/").AbsolutePath.TrimEnd('/');
        string path = uri.AbsolutePath;
        if (ToUsers(path[basePath.Length..]) is { } users && path.StartsWith(basePath, StringComparison.OrdinalIgnoreCase))
        {
            request.URI = new Uri(uri.GetLeftPart(UriPartial.Authority) + basePath + users + uri.Query);
        }
        else if (path.Equals(basePath + "/$batch", StringComparison.OrdinalIgnoreCase) && request.Content is { CanSeek: true } body)
        {
            RewriteBatch(request, body);
        }

        return request;
    }

    /// <summary>The relative path or URL on <c>/users/{mailbox}</c> for one on <c>/me</c>; null for any other.</summary>
    private string? ToUsers(string relative)
    {
        if (relative.Equals("/me", StringComparison.OrdinalIgnoreCase))
        {
            return _usersPrefix;
        }

        return relative.Length > 3 && relative.StartsWith("/me", StringComparison.OrdinalIgnoreCase) && relative[3] is '/' or '?' or '('
            ? _usersPrefix + relative[3..]
            : null;
    }

    private void RewriteBatch(RequestInformation request, Stream body)
    {
        body.Position = 0;
        JsonNode? envelope = JsonNode.Parse(body);
        body.Position = 0;
        if (envelope?["requests"] is not JsonArray items)
        {
            return;
        }

        bool changed = false;
        foreach (JsonObject item in items.OfType<JsonObject>())
        {
            if (item["url"] is JsonValue url && url.TryGetValue(out string? relative) && ToUsers(relative.StartsWith('/') ? relative : "/" + relative) is { } users)
            {
                item["url"] = users;
                changed = true;
            }
        }

        if (changed)
        {
            request.Content = new MemoryStream(Encoding.UTF8.GetBytes(envelope.ToJsonString()));
        }
    }
}
