using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OutlookCalendarSync.AppOnly;

/// <summary>
/// What an app-only user does on Graph's 401: the tenant's token is dropped, a new one is issued and the request is sent once
/// more. A user token can be lost to a revoked sign-in; an app token cannot, so a 401 never means "reauthorize the user". A second
/// 401 with a token Entra has just issued is the app's configuration (the tenant becomes
/// <see cref="TenantConsentStatus.Misconfigured"/>), and Entra refusing the new token is the tenant's consent (its status then).
/// </summary>
/// <remarks>
/// <para>
/// Sits in front of the Graph adapter's whole pipeline (retries for throttling stay inside), so every request of an app-only user
/// passes through it, <c>$batch</c> envelopes included.
/// </para>
/// <para>
/// Whether Graph refuses a bad token for a <c>$batch</c> as a whole (401 for the envelope) or item by item (a 200 whose items are
/// 401) is not documented; both are handled. A batch whose items are all 401, or 424 (Failed Dependency: chained by <c>dependsOn</c>
/// after a refused item, so not carried out either), was carried out nowhere and is sent once more with the new token, as a refused
/// request is. A batch with only some items 401 was partly carried out and is not sent again: the token is
/// renewed and the run fails as a transient failure (never as needing reauthorization); the next run recognises what was written.
/// A partly refused second answer is such a failure too, never recorded as <see cref="TenantConsentStatus.Misconfigured"/>.
/// </para>
/// <para>
/// Only a 401 to a token issued for this very retry records the tenant misconfigured: when the first retry used a replacement
/// that a parallel request had already cached, a 401 to it makes the handler force a new token and send once more first.
/// </para>
/// </remarks>
internal sealed class AppOnlyUnauthorizedHandler(HttpClient inner, AppOnlyTokenProvider tokens, string tenantId) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[]? body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response = await inner.SendAsync(Copy(request, body, token: null), cancellationToken).ConfigureAwait(false);
        if (request.Headers.Authorization is not { Scheme: "Bearer", Parameter: { Length: > 0 } rejected })
        {
            return response;
        }

        Refusal refusal = await RefusalOfAsync(request, response, cancellationToken).ConfigureAwait(false);
        if (refusal.Kind == RefusalKind.None)
        {
            return response;
        }

        response.Dispose();
        (string renewed, bool refreshed) = await tokens.RenewRejectedAsync(tenantId, rejected, cancellationToken).ConfigureAwait(false);
        if (refusal.Kind == RefusalKind.PartOfBatch)
        {
            throw PartlyRefused(refusal.Code);
        }

        HttpResponseMessage again = await inner.SendAsync(Copy(request, body, renewed), cancellationToken).ConfigureAwait(false);
        Refusal second = await RefusalOfAsync(request, again, cancellationToken).ConfigureAwait(false);
        if (second.Kind == RefusalKind.None)
        {
            return again;
        }

        again.Dispose();
        if (second.Kind == RefusalKind.Whole && !refreshed)
        {
            // The retry used the replacement a parallel request had cached, not a token issued now: its refusal says nothing about
            // the app's settings yet. Force a new token and send once more before recording anything.
            (renewed, refreshed) = await tokens.RenewRejectedAsync(tenantId, renewed, cancellationToken).ConfigureAwait(false);
            again = await inner.SendAsync(Copy(request, body, renewed), cancellationToken).ConfigureAwait(false);
            second = await RefusalOfAsync(request, again, cancellationToken).ConfigureAwait(false);
            if (second.Kind == RefusalKind.None)
            {
                return again;
            }

            again.Dispose();
        }

        if (second.Kind == RefusalKind.PartOfBatch)
        {
            // Partly carried out: never evidence enough to mark the tenant misconfigured.
            throw PartlyRefused(second.Code);
        }

        if (!refreshed)
        {
            // Parallel requests kept replacing the token: no token issued for this request was refused.
            throw new OutlookCalendarSyncException($"Microsoft Graph refused the app-only tokens of tenant {tenantId} (401 {second.Code}) while they were being renewed; the run is retried later.");
        }

        throw await tokens.RecordRejectedTwiceAsync(tenantId, second.Code, second.Message, cancellationToken).ConfigureAwait(false);
    }

    private OutlookCalendarSyncException PartlyRefused(string? code) => new(
        $"Microsoft Graph refused the app-only token of tenant {tenantId} for some requests of a batch (401 {code}); the token was renewed and the run is retried later. What the batch wrote is recognised by the next run.");

    /// <summary>A new message like the original (an <see cref="HttpClient"/> sends a message once), with another token if given.</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body, string? token)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (token is not null)
        {
            copy.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (KeyValuePair<string, IEnumerable<string>> header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        // Kiota's middleware reads its per-request options from here.
        var options = (IDictionary<string, object?>)copy.Options;
        foreach (KeyValuePair<string, object?> option in request.Options)
        {
            options[option.Key] = option.Value;
        }

        return copy;
    }

    private static async Task<Refusal> RefusalOfAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            (string? code, string? message) = await ErrorOfAsync(response, cancellationToken).ConfigureAwait(false);
            return new Refusal(RefusalKind.Whole, code, message);
        }

        if (response.StatusCode != HttpStatusCode.OK || request.Method != HttpMethod.Post || request.RequestUri?.AbsolutePath.EndsWith("/$batch", StringComparison.OrdinalIgnoreCase) != true)
        {
            return new Refusal(RefusalKind.None, null, null);
        }

        // Buffered, the body is read here and again by the SDK.
#if NET9_0_OR_GREATER
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
#endif
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!text.Contains("401", StringComparison.Ordinal))
        {
            return new Refusal(RefusalKind.None, null, null);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            if (!document.RootElement.TryGetProperty("responses", out JsonElement items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
            {
                return new Refusal(RefusalKind.None, null, null);
            }

            int refused = 0;
            int notCarriedOut = 0;
            string? code = null;
            string? message = null;
            foreach (JsonElement item in items.EnumerateArray())
            {
                int itemStatus = item.TryGetProperty("status", out JsonElement status) && status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out int s) ? s : 0;
                if (itemStatus == 424)
                {
                    // Failed Dependency: a request chained by dependsOn after a refused one, not carried out either.
                    notCarriedOut++;
                }

                if (itemStatus == 401)
                {
                    refused++;
                    if (item.TryGetProperty("body", out JsonElement itemBody) && itemBody.ValueKind == JsonValueKind.Object && itemBody.TryGetProperty("error", out JsonElement error))
                    {
                        code = error.TryGetProperty("code", out JsonElement c) ? c.GetString() : code;
                        message = error.TryGetProperty("message", out JsonElement m) ? m.GetString() : message;
                    }
                }
            }

            return refused == 0
                ? new Refusal(RefusalKind.None, null, null)
                : new Refusal(refused + notCarriedOut == items.GetArrayLength() ? RefusalKind.Whole : RefusalKind.PartOfBatch, code, message);
        }
        catch (JsonException)
        {
            // Not a batch answer the handler can read: the adapter reports it.
            return new Refusal(RefusalKind.None, null, null);
        }
    }

    private static async Task<(string? Code, string? Message)> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using JsonDocument document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object
                ? (error.TryGetProperty("code", out JsonElement c) ? c.GetString() : null, error.TryGetProperty("message", out JsonElement m) ? m.GetString() : null)
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private enum RefusalKind
    {
        None,
        Whole,
        PartOfBatch,
    }

    private readonly record struct Refusal(RefusalKind Kind, string? Code, string? Message);
}
