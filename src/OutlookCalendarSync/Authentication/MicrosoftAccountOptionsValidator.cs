using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Authentication;

/// <summary>Checks the app registration settings with messages that say where in the Azure portal to find what is missing.</summary>
internal sealed class MicrosoftAccountOptionsValidator(IServiceProviderIsService services) : IValidateOptions<MicrosoftAccountOptions>
{
    private const string Registration = "In the Azure portal, open Microsoft Entra ID > App registrations > your app";

    public ValidateOptionsResult Validate(string? name, MicrosoftAccountOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"MicrosoftAccountOptions.ClientId is not set. {Registration} > Overview and copy 'Application (client) ID'.");
        }

        bool hasSecret = !string.IsNullOrWhiteSpace(options.ClientSecret);

        // Users of a public-client-only app connect through IPublicClientSignIn: no credential, and no Web redirect URI, is needed.
        bool publicOnly = options.PublicClient && !hasSecret && options.ClientCertificate is null;
        if (!hasSecret && options.ClientCertificate is null && !publicOnly)
        {
            failures.Add($"Neither MicrosoftAccountOptions.ClientSecret nor ClientCertificate is set. {Registration} > Certificates & secrets > Client secrets > New client secret, and copy its Value (not its Secret ID); or upload a certificate under Certificates and set ClientCertificate to it with its private key.");
        }
        else if (hasSecret && options.ClientCertificate is not null)
        {
            failures.Add("Both MicrosoftAccountOptions.ClientSecret and ClientCertificate are set: set only one, so it is clear which credential the app uses.");
        }
        else if (options.ClientCertificate is { HasPrivateKey: false })
        {
            failures.Add("MicrosoftAccountOptions.ClientCertificate has no private key: load the certificate with its private key (for example from a .pfx or the certificate store); only its public part goes to the Azure portal.");
        }

        if (!IsTenant(options.TenantId))
        {
            failures.Add($"MicrosoftAccountOptions.TenantId '{options.TenantId}' is not valid: use 'common', 'organizations', 'consumers', or your directory's tenant id ({Registration} > Overview > 'Directory (tenant) ID').");
        }

        Uri? redirect = options.GetRedirectUri();
        if (redirect is null && !publicOnly)
        {
            failures.Add($"Neither MicrosoftAccountOptions.PublicBaseUrl nor RedirectUri is set. Set PublicBaseUrl to the app's public root (https://calendar.example.com/); the redirect URI is then {{PublicBaseUrl}}{MicrosoftAccountOptions.CallbackPath}. Register that exact URI: {Registration} > Authentication > Web > Redirect URIs.");
        }
        else if (redirect is not null && (!redirect.IsAbsoluteUri || (redirect.Scheme != Uri.UriSchemeHttps && !(redirect.Scheme == Uri.UriSchemeHttp && redirect.IsLoopback))))
        {
            failures.Add($"The redirect URI '{redirect}' must be an absolute HTTPS URL (HTTP is allowed only for localhost): Microsoft Entra rejects others.");
        }

        if (options.AuthorityHost is null || !options.AuthorityHost.IsAbsoluteUri || options.AuthorityHost.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add("MicrosoftAccountOptions.AuthorityHost must be an absolute HTTPS URL such as https://login.microsoftonline.com/ (MSAL accepts only HTTPS authorities).");
        }

        if (!options.Scopes.Any(s => string.Equals(s, "Calendars.ReadWrite", StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"MicrosoftAccountOptions.Scopes must include Calendars.ReadWrite; grant it too: {Registration} > API permissions > Add a permission > Microsoft Graph > Delegated permissions > Calendars.ReadWrite.");
        }

        if (options.SignInLifetime <= NodaTime.Duration.Zero)
        {
            failures.Add("MicrosoftAccountOptions.SignInLifetime must be positive (10 minutes by default).");
        }

        if (options.MaxPendingSignIns < 1)
        {
            failures.Add("MicrosoftAccountOptions.MaxPendingSignIns must be at least 1 (10,000 by default).");
        }

        if (!services.IsService(typeof(ITokenStore)))
        {
            failures.Add("No ITokenStore is registered. Connected accounts keep their tokens there: call .UseTokenStore<T>() on the builder (or .UseSqliteStores() from OutlookCalendarSync.Sqlite).");
        }

        if (!services.IsService(typeof(ISyncStateStore)))
        {
            failures.Add("No ISyncStateStore is registered: call .UseSyncStateStore<T>() on the builder (or .UseSqliteStores() from OutlookCalendarSync.Sqlite).");
        }

        if (options.KeyRingDirectory is null && !services.IsService(typeof(IDataProtectionProvider)))
        {
            failures.Add("Tokens are encrypted with ASP.NET Core Data Protection, but no IDataProtectionProvider is registered: call services.AddDataProtection() (with a persisted key ring shared by every instance), or set MicrosoftAccountOptions.KeyRingDirectory.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsTenant(string? tenant) =>
        !string.IsNullOrWhiteSpace(tenant) && tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');
}
