using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OutlookCalendarSync.SampleHost;

namespace OutlookCalendarSync.SampleHost.Tests;

/// <summary>The sample starts as <c>dotnet run -- --emulator</c> starts it, syncs its demo users and serves the users page.</summary>
public sealed class SampleHostTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ocs-sample-").FullName;

    [Fact]
    public async Task SampleHost_WithTheEmulator_ServesThePageListingTheDemoUsersSynced()
    {
        await using SampleApp sample = await SampleApp.CreateAsync(
            ["--emulator", "--urls", "http://127.0.0.1:0", "--Sqlite:DatabasePath", Path.Combine(_folder, "sample.db"), "--environment", "Development"]);
        await sample.App.StartAsync();
        string address = sample.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        string page = string.Empty;
        DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (Finished(page) < SampleApp.DemoUsers.Count && DateTime.UtcNow < end)
        {
            await Task.Delay(250);
            page = await http.GetStringAsync("/");
        }

        foreach (string user in SampleApp.DemoUsers)
        {
            Assert.Contains($"<td>{user}</td><td>Active</td><td>20", page, StringComparison.Ordinal);
        }

        Assert.True(Finished(page) == SampleApp.DemoUsers.Count, page);
        using HttpResponseMessage connect = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) }
            .GetAsync("/microsoft_account/connect");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, connect.StatusCode);
        await sample.App.StopAsync();
    }

    /// <summary>Rows whose last run completed.</summary>
    private static int Finished(string page) => page.Split("<td>Synced", StringSplitOptions.None).Length - 1 + page.Split("<td>NothingNew", StringSplitOptions.None).Length - 1;

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
