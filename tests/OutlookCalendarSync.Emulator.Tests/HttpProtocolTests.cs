using System.Net;
using System.Text;
using System.Text.Json;

namespace OutlookCalendarSync.Emulator.Tests;

public sealed class HttpProtocolTests : EmulatorTestBase
{
    [Fact]
    public async Task Get_WithoutBearerToken_Answers401WithJsonError()
    {
        using var response = await RawClient(token: null).GetAsync("me/events");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Post_MalformedJson_Answers400WithJsonErrorAndInnerError()
    {
        using var content = new StringContent("{\"subject\":", Encoding.UTF8, "application/json");

        using var response = await RawClient().PostAsync("me/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("BadRequest", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("innerError").GetProperty("request-id").GetString()));
    }

    [Fact]
    public async Task Post_UnknownProperty_Answers400()
    {
        const string Body = """{"subjekt":"typo","start":{"dateTime":"2024-05-02T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-05-02T10:00:00","timeZone":"UTC"}}""";
        using var content = new StringContent(Body, Encoding.UTF8, "application/json");

        using var response = await RawClient().PostAsync("me/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("RequestBodyRead", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Get_Event_HasSevenDigitFractionsAndWeakEtag()
    {
        var seeded = Emulator.AddEvent(Mailbox, SeedJson("Raw", "2024-05-02T09:00:00.123", "2024-05-02T10:00:00"));

        var json = await RawClient().GetStringAsync($"me/events/{Uri.EscapeDataString(seeded["id"]!.GetValue<string>())}");

        using var body = JsonDocument.Parse(json);
        Assert.Equal("2024-05-02T09:00:00.1230000", body.RootElement.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal($"W/\"{body.RootElement.GetProperty("changeKey").GetString()}\"", body.RootElement.GetProperty("@odata.etag").GetString());
        Assert.False(body.RootElement.TryGetProperty("transactionId", out _));
    }

    [Fact]
    public async Task Post_WrongValueType_Answers400()
    {
        const string Body = """{"subject":"typed","transactionId":42,"start":{"dateTime":"2024-05-02T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-05-02T10:00:00","timeZone":"UTC"}}""";
        using var content = new StringContent(Body, Encoding.UTF8, "application/json");

        using var response = await RawClient().PostAsync("me/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("RequestBodyRead", await ErrorCodeAsync(response));
        Assert.Empty(Emulator.GetEvents(Mailbox));
    }

    [Fact]
    public async Task Get_UnknownRoute_Answers400WithJsonError()
    {
        using var response = await RawClient().GetAsync("me/mailFolders");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ResolveMailbox_CustomMapping_UsesTheMappedMailbox()
    {
        await using var emulator = await Testing.Emulator.GraphEmulator.StartAsync(new Testing.Emulator.GraphEmulatorOptions
        {
            ResolveMailbox = token => token == "secret-token" ? "bob" : null,
        });
        emulator.AddEvent("bob", SeedJson("Bob's", "2024-05-02T09:00:00", "2024-05-02T10:00:00"));
        using var http = new HttpClient { BaseAddress = emulator.GraphBaseUrl };

        using var accepted = new HttpRequestMessage(HttpMethod.Get, "me/events") { Headers = { { "Authorization", "Bearer secret-token" } } };
        using var rejected = new HttpRequestMessage(HttpMethod.Get, "me/events") { Headers = { { "Authorization", "Bearer bob" } } };
        using var ok = await http.SendAsync(accepted);
        using var denied = await http.SendAsync(rejected);

        Assert.Contains("Bob's", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetProperty("code").GetString();
    }
}
