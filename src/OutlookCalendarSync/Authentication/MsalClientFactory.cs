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

    public IConfidentialClientApplication Create(UserTokenCache cache)
    {
        MicrosoftAccountOptions o = Options;
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
        app.UserTokenCache.SetBeforeAccess(args => args.TokenCache.DeserializeMsalV3(cache.Data, shouldClearExistingCache: true));
        app.UserTokenCache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged)
            {
                cache.Data = args.TokenCache.SerializeMsalV3();
                cache.Changed = true;
            }
        });
        return app;
    }
}
