using System.Collections.Frozen;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// The redirect URIs of each app registration, matched as Microsoft Entra matches them ("Redirect URI (reply URL) restrictions
/// and limitations", learn.microsoft.com/entra/identity-platform/reply-url): the scheme and host, and the path and query to the
/// letter (paths are case-sensitive; <c>https://host</c> and <c>https://host/</c> are one URI); the port too, except on a loopback
/// host (<c>localhost</c>, <c>127.0.0.1</c>), where "the port component is ignored for the purposes of matching" (RFC 8252 §7.3,
/// §8.3). <c>localhost</c> and <c>127.0.0.1</c> stay different hosts; IPv6 loopback is not supported by Entra and matches nothing.
/// </summary>
internal sealed class RegisteredRedirectUris
{
    private readonly FrozenDictionary<string, Uri[]> byApp;
    private readonly Uri[] defaults;

    public RegisteredRedirectUris(GraphEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.RedirectUris);
        ArgumentNullException.ThrowIfNull(options.DefaultRedirectUris);
        byApp = options.RedirectUris.ToFrozenDictionary(
            app => app.Key,
            app => Validated(app.Value ?? throw new ArgumentException($"GraphEmulatorOptions.RedirectUris['{app.Key}'] is null.", nameof(options)), $"RedirectUris['{app.Key}']"),
            StringComparer.OrdinalIgnoreCase);
        defaults = Validated(options.DefaultRedirectUris, "DefaultRedirectUris");
    }

    /// <summary>Whether the app registration of <paramref name="clientId"/> lists <paramref name="requested"/>.</summary>
    public bool Allows(string clientId, Uri requested) =>
        (byApp.TryGetValue(clientId, out var registered) ? registered : defaults).Any(r => Matches(r, requested));

    private static bool Matches(Uri registered, Uri requested)
    {
        if (requested.HostNameType == UriHostNameType.IPv6
            || !string.Equals(registered.Scheme, requested.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(registered.IdnHost, requested.IdnHost, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!registered.IsLoopback && registered.Port != requested.Port)
        {
            return false;
        }

        return string.Equals(registered.PathAndQuery, requested.PathAndQuery, StringComparison.Ordinal);
    }

    private static Uri[] Validated(IEnumerable<Uri> uris, string name)
    {
        Uri[] list = [.. uris];
        foreach (Uri uri in list)
        {
            if (uri is null || !uri.IsAbsoluteUri)
            {
                throw new ArgumentException($"GraphEmulatorOptions.{name} holds '{uri}': a redirect URI must be absolute, such as https://calendar.example.test/microsoft_account/authentication.");
            }
        }

        return list;
    }
}
