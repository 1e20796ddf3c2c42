using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Me.CalendarView.Delta;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using NodaTime;
using NodaTime.Text;
using OutlookCalendarSync.Graph;

namespace OutlookCalendarSync.Benchmarks.Memory;

/// <summary>
/// A full <c>calendarView/delta</c> round read page by page through the adapter's HTTP pipeline (the SDK's request adapter and
/// middleware, the adapter's named <see cref="HttpClient"/>, its <c>Prefer</c> headers and page size), with nothing mapped or kept:
/// to tell where a page's time goes (<see cref="MeasuredPhase.RawPages"/>, <see cref="MeasuredPhase.SdkPages"/>,
/// <see cref="MeasuredPhase.ReaderPages"/>).
/// </summary>
internal static class DeltaPagesOnly
{
    private static readonly InstantPattern QueryInstant = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss'Z'");

    private static readonly Dictionary<string, ParsableFactory<IParsable>> Errors = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    /// <summary>Reads the round; returns the number of items the pages held.</summary>
    public static async Task<int> ReadAsync(MeasuredPhase phase, HttpClient http, IUserAccessTokenProvider tokens, Uri graphBaseUrl, string user, Interval window, int pageSize)
    {
        string baseUrl = graphBaseUrl.ToString().TrimEnd('/');
        var client = new GraphServiceClient(http, new BaseBearerTokenAuthenticationProvider(new UserAccessTokenAuthentication(tokens, user, graphBaseUrl.Host)), baseUrl);
        int items = 0;
        string? next = null;
        bool first = true;
        while (first || next is not null)
        {
            DeltaRequestBuilder delta = first ? client.Me.CalendarView.Delta : client.Me.CalendarView.Delta.WithUrl(next!);
            RequestInformation request = delta.ToGetRequestInformation(c =>
            {
                c.Headers.Add("Prefer", [.. GraphHttpPipeline.PreferOnEveryRequest, $"odata.maxpagesize={pageSize}"]);
                if (first)
                {
                    c.QueryParameters.StartDateTime = QueryInstant.Format(window.Start);
                    c.QueryParameters.EndDateTime = QueryInstant.Format(window.End);
                }
            });
            first = false;
            switch (phase)
            {
                case MeasuredPhase.SdkPages:
                    DeltaGetResponse? page = await client.RequestAdapter.SendAsync(request, DeltaGetResponse.CreateFromDiscriminatorValue, Errors);
                    items += page?.Value?.Count ?? 0;
                    next = page?.OdataNextLink;
                    break;
                case MeasuredPhase.ReaderPages:
                    await using (Stream? content = await client.RequestAdapter.SendPrimitiveAsync<Stream>(request, Errors))
                    {
                        GraphDeltaPage read = await GraphDeltaPageReader.ReadAsync(content, default);
                        items += read.Items.Count;
                        next = read.NextLink;
                    }

                    break;
                default:
                    await using (Stream? content = await client.RequestAdapter.SendPrimitiveAsync<Stream>(request, Errors))
                    {
                        using var bytes = new MemoryStream();
                        await content!.CopyToAsync(bytes);
                        (int count, next) = ScanForNextLink(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
                        items += count;
                    }

                    break;
            }
        }

        return items;
    }

    /// <summary>The page's item count and next link, tokenizing the JSON without building anything (System.Text.Json's reader).</summary>
    private static (int Items, string? NextLink) ScanForNextLink(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        int items = 0;
        string? next = null;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("@odata.nextLink"u8))
            {
                reader.Read();
                next = reader.GetString();
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items++;
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (items, next);
    }
}
