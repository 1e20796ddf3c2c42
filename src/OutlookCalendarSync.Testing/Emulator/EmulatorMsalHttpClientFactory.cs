using Microsoft.Identity.Client;

namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>
/// Gives MSAL an <see cref="HttpClient"/> that trusts exactly the emulator's self-signed certificate; set it as
/// <c>MicrosoftAccountOptions.HttpClientFactory</c>. The emulator disposes it when it stops.
/// </summary>
public sealed class EmulatorMsalHttpClientFactory : IMsalHttpClientFactory, IDisposable
{
    private readonly HttpClient client;

    internal EmulatorMsalHttpClientFactory(HttpMessageHandler handler) => client = new HttpClient(handler, disposeHandler: true);

    /// <summary>Returns the one client (MSAL expects a shared instance).</summary>
    /// <returns>The client.</returns>
    public HttpClient GetHttpClient() => client;

    /// <summary>Disposes the client.</summary>
    public void Dispose() => client.Dispose();
}
