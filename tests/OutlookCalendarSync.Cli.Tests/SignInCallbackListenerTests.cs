using System.Net;
using System.Net.Sockets;
using OutlookCalendarSync.Cli.SignIn;

namespace OutlookCalendarSync.Cli.Tests;

public sealed class SignInCallbackListenerTests
{
    [Fact]
    public async Task WaitAsync_BrowserComesBackWithCode_ReturnsTheQuery()
    {
        using var listener = new SignInCallbackListener(FreePort());
        listener.Start();
        Task<IReadOnlyDictionary<string, string>> waiting = listener.WaitAsync(CancellationToken.None);
        using var http = new HttpClient();

        string favicon = await http.GetStringAsync(listener.RedirectUri + "?ignored=1");
        string page = await http.GetStringAsync(listener.RedirectUri + "?code=abc&state=xyz");
        IReadOnlyDictionary<string, string> query = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("Waiting", favicon, StringComparison.Ordinal);
        Assert.Contains("You can close this window", page, StringComparison.Ordinal);
        Assert.Equal("abc", query["code"]);
        Assert.Equal("xyz", query["state"]);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var listener = new SignInCallbackListener(FreePort());
        listener.Start();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listener.WaitAsync(cancel.Token));
    }

    [Fact]
    public void RedirectUri_Port_IsTheRegisteredShape()
    {
        using var listener = new SignInCallbackListener(53682);

        Assert.Equal("http://localhost:53682/microsoft_account/authentication", listener.RedirectUri.ToString());
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
