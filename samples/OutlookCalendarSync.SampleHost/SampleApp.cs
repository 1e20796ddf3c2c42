using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.SampleHost;

/// <summary>
/// The sample host: the PostgreSQL stores when <c>ConnectionStrings:Sync</c> is set (SQLite in <c>sample.db</c> otherwise), the
/// embedded scheduler, the connect endpoints and a page of the users. With <c>--emulator</c> it starts the Graph emulator of
/// OutlookCalendarSync.Testing, points Microsoft Graph and the Microsoft sign-in at it, and connects three demo users through the
/// real sign-in flow, so it runs with no Azure app.
/// </summary>
public sealed class SampleApp : IAsyncDisposable
{
    /// <summary>The users the emulator mode connects.</summary>
    public static readonly IReadOnlyList<string> DemoUsers = ["ada", "grace", "linus"];

    /// <summary>The client id of the app registration the emulator plays.</summary>
    private const string EmulatorClientId = "00000000-0000-0000-0000-00000000c0de";

    private readonly GraphEmulator? _emulator;

    private SampleApp(WebApplication app, GraphEmulator? emulator)
    {
        App = app;
        _emulator = emulator;
    }

    public WebApplication App { get; }

    public static async Task<SampleApp> CreateAsync(string[] args)
    {
        bool useEmulator = args.Contains("--emulator", StringComparer.Ordinal);
        WebApplicationBuilder builder = WebApplication.CreateBuilder([.. args.Where(a => a != "--emulator")]);
        var publicBaseUrl = new Uri(builder.Configuration["PublicBaseUrl"] ?? "http://localhost:5000/");
        GraphEmulator? emulator = useEmulator
            ? await GraphEmulator.StartAsync(new GraphEmulatorOptions
            {
                // The app registration the emulator plays: its one Web redirect URI, as in the Azure portal.
                RedirectUris = { [EmulatorClientId] = [new Uri(publicBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + MicrosoftAccountOptions.CallbackPath)] },
            })
            : null;

        builder.Services.AddDataProtection();
        var sync = builder.Services.AddOutlookCalendarSync(builder.Configuration.GetSection("OutlookCalendarSync"));
        string? connectionString = builder.Configuration.GetConnectionString("Sync");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            sync.UseSqliteStores(o => o.DatabasePath = builder.Configuration["Sqlite:DatabasePath"] ?? Path.Combine(builder.Environment.ContentRootPath, "sample.db"));
        }
        else
        {
            sync.UsePostgreSqlStores(o => o.ConnectionString = connectionString).UsePostgreSqlCalendarStore();
        }

        if (emulator is null)
        {
            sync.UseMicrosoftGraph(builder.Configuration.GetSection("OutlookCalendarSync:Graph"))
                .UseMicrosoftAccount(builder.Configuration.GetSection("OutlookCalendarSync:MicrosoftAccount"));
        }
        else
        {
            sync.UseMicrosoftGraph(o => o.GraphBaseUrl = emulator.GraphBaseUrl)
                .UseMicrosoftAccount(o =>
                {
                    // The emulator accepts any secret; the redirect URI must be the one registered above.
                    o.ClientId = EmulatorClientId;
                    o.ClientSecret = "sample-emulator-secret";
                    o.PublicBaseUrl = publicBaseUrl;
                    o.AuthorityHost = emulator.AuthorityHost;
                    o.HttpClientFactory = emulator.MsalHttpClientFactory;
                });
        }

        sync.AddScheduler(o => o.PollInterval = NodaTime.Duration.FromSeconds(5));

        WebApplication app = builder.Build();

        // The sample has no sign-in of its own: the user is a cookie set by /sign-in-as. A real host uses its authentication.
        app.MapGet("/sign-in-as", (HttpContext context, string user) =>
        {
            context.Response.Cookies.Append(UsersPage.UserCookie, user, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax });
            return Results.Redirect("/microsoft_account/connect");
        });
        app.MapOutlookCalendarSync(o => o.GetUserId = context => context.Request.Cookies[UsersPage.UserCookie]);
        app.MapGet("/", UsersPage.RenderAsync);

        if (emulator is not null)
        {
            await ConnectDemoUsersAsync(app.Services, emulator);
        }

        return new SampleApp(app, emulator);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    /// <summary>Connects each demo user as a browser would: the sign-in URL, the emulator's consent, the callback's code.</summary>
    private static async Task ConnectDemoUsersAsync(IServiceProvider services, GraphEmulator emulator)
    {
        var authorization = services.GetRequiredService<IMicrosoftAccountAuthorization>();
        using var browser = new HttpClient(emulator.CreateHttpsHandler());
        foreach (string user in DemoUsers)
        {
            string mailbox = $"{user}@{new GraphEmulatorOptions().MailboxDomain}";
            string tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            emulator.AddEvent(mailbox, new JsonObject
            {
                ["subject"] = $"Outlook meeting of {user}",
                ["start"] = new JsonObject { ["dateTime"] = $"{tomorrow}T09:00:00", ["timeZone"] = "UTC" },
                ["end"] = new JsonObject { ["dateTime"] = $"{tomorrow}T10:00:00", ["timeZone"] = "UTC" },
            }.ToJsonString());
            Uri signIn = await authorization.BuildSignInUrlAsync(user, loginHint: mailbox);
            using HttpResponseMessage consent = await browser.GetAsync(signIn);
            if (consent.StatusCode != HttpStatusCode.Redirect || consent.Headers.Location is not { } callback)
            {
                throw new InvalidOperationException($"The emulator did not redirect the sign-in of {user} (HTTP {(int)consent.StatusCode}).");
            }

            var query = QueryHelpers.ParseQuery(callback.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
            SignInResult result = await authorization.CompleteSignInAsync(query, user);
            if (!result.IsConnected)
            {
                throw new InvalidOperationException($"Connecting {user} to the emulator failed: {result.Message}");
            }
        }
    }
}
