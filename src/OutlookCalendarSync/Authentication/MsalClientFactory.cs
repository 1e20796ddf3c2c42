using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace OutlookCalendarSync.Authentication;

/// <summary>
/// Builds a <see cref="IConfidentialClientApplication"/> from the options, with a user token cache that lives in a
/// <see cref="UserTokenCache"/> (one per user and operation, so no user ever sees another's tokens).
/// </summary>
internal sealed class MsalClientFactory(IOptions<MicrosoftAccountOptions> options)
{
    private static readonly HashSet<string> MicrosoftHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
        "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "login.microsoftonline.de",
    };

    private static readonly HashSet<string> ReservedScopes = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "offline_access" };

    public MicrosoftAccountOptions Options => options.Value;

    /// <summary>The Graph permissions to ask MSAL for: MSAL adds the OpenID Connect scopes itself.</summary>
    public IReadOnlyList<string> ResourceScopes => Options.Scopes.Where(s => !ReservedScopes.Contains(s)).ToList();

    /// <summary>The confidential client (the app's secret or certificate) of the Web sign-in and of the accounts it connected.</summary>
    /// <exception cref="InvalidOperationException">Neither a client secret nor a certificate is set (a public-client-only setup).</exception>
    public IConfidentialClientApplication Create(UserTokenCache cache)
    {
        MicrosoftAccountOptions o = Options;
        if (string.IsNullOrWhiteSpace(o.ClientSecret) && o.ClientCertificate is null)
        {
            throw new InvalidOperationException("This needs the app's client secret or certificate, and MicrosoftAccountOptions sets neither (PublicClient is on): set ClientSecret or ClientCertificate, or connect the account through IPublicClientSignIn.");
        }

        ConfidentialClientApplicationBuilder builder = ConfidentialClientApplicationBuilder.Create(o.ClientId);
        builder = o.ClientCertificate is { } certificate ? builder.WithCertificate(certificate) : builder.WithClientSecret(o.ClientSecret);
        builder = builder
            .WithAuthority(new Uri(o.AuthorityHost, o.TenantId.Trim('/') + "/").ToString())
            .WithRedirectUri(o.GetRedirectUri()!.ToString())
            .WithLegacyCacheCompatibility(false);
        if (!MicrosoftHosts.Contains(o.AuthorityHost.Host))
        {
            builder = builder.WithInstanceDiscovery(false);
        }

        if (o.HttpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(o.HttpClientFactory);
        }

        IConfidentialClientApplication app = builder.Build();
        UseCache(app.UserTokenCache, cache);
        return app;
    }

    /// <summary>
    /// The public client (no secret) of <see cref="IPublicClientSignIn"/> and of the accounts it connected.
    /// </summary>
    /// <param name="cache">The user's token cache.</param>
    /// <param name="redirectUri">The loopback redirect URI of a browser sign-in; null for the device code flow and refreshes.</param>
    public IPublicClientApplication CreatePublic(UserTokenCache cache, Uri? redirectUri = null)
    {
        MicrosoftAccountOptions o = Options;
        PublicClientApplicationBuilder builder = PublicClientApplicationBuilder.Create(o.ClientId)
            .WithAuthority(new Uri(o.AuthorityHost, o.TenantId.Trim('/') + "/").ToString())
            .WithLegacyCacheCompatibility(false);
        if (redirectUri is not null)
        {
            builder = builder.WithRedirectUri(redirectUri.AbsoluteUri.TrimEnd('/'));
        }

        if (!MicrosoftHosts.Contains(o.AuthorityHost.Host))
        {
            builder = builder.WithInstanceDiscovery(false);
        }

        if (o.HttpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(o.HttpClientFactory);
        }

        IPublicClientApplication app = builder.Build();
        UseCache(app.UserTokenCache, cache);
        return app;
    }

    private static void UseCache(ITokenCache tokenCache, UserTokenCache cache)
    {
        tokenCache.SetBeforeAccess(args => args.TokenCache.DeserializeMsalV3(cache.Data, shouldClearExistingCache: true));
        tokenCache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged)
            {
                cache.Data = args.TokenCache.SerializeMsalV3();
                cache.Changed = true;
            }
        });
    }
}
