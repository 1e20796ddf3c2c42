using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Text;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Authentication;

/// <summary>Reads and writes <see cref="ConnectedAccount"/>s through the host's <see cref="ITokenStore"/>, encrypted with Data Protection.</summary>
/// <remarks>The token store is resolved from a new scope for each call, so a host's scoped store (on a DbContext) works.</remarks>
internal sealed class ProtectedTokenStore(IServiceScopeFactory scopes, IDataProtectionProvider provider)
{
    private const string Purpose = "OutlookCalendarSync.TokenCache.v1";
    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public async Task<ConnectedAccount?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        byte[]? blob;
        await using (AsyncServiceScope scope = scopes.CreateAsyncScope())
        {
            blob = await scope.ServiceProvider.GetRequiredService<ITokenStore>().GetAsync(userId, cancellationToken).ConfigureAwait(false);
        }

        if (blob is null)
        {
            return null;
        }

        byte[] plain;
        try
        {
            plain = _protector.Unprotect(blob);
        }
        catch (CryptographicException)
        {
            // The key ring lost the key (or the blob was tampered with): the user must connect again.
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(plain);
        JsonElement root = document.RootElement;
        return new ConnectedAccount(
            root.GetProperty("accountId").GetString()!,
            root.GetProperty("username").GetString()!,
            root.GetProperty("tenantId").GetString()!,
            root.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToList(),
            InstantPattern.ExtendedIso.Parse(root.GetProperty("connectedAt").GetString()!).Value,
            root.GetProperty("msal").GetBytesFromBase64(),

            // Written only for public clients since 2026-11: tokens stored before (and by confidential clients) have no "client".
            root.TryGetProperty("client", out JsonElement client) && client.ValueEquals("public"));
    }

    public async Task SetAsync(string userId, ConnectedAccount account, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("accountId", account.AccountId);
            writer.WriteString("username", account.Username);
            writer.WriteString("tenantId", account.TenantId);
            writer.WriteStartArray("scopes");
            foreach (string graphScope in account.Scopes)
            {
                writer.WriteStringValue(graphScope);
            }

            writer.WriteEndArray();
            writer.WriteString("connectedAt", InstantPattern.ExtendedIso.Format(account.ConnectedAt));
            writer.WriteBase64String("msal", account.MsalCache);
            if (account.PublicClient)
            {
                writer.WriteString("client", "public");
            }

            writer.WriteEndObject();
        }

        byte[] protectedBlob = _protector.Protect(buffer.ToArray());
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ITokenStore>().SetAsync(userId, protectedBlob, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string userId, CancellationToken cancellationToken)
    {
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ITokenStore>().RemoveAsync(userId, cancellationToken).ConfigureAwait(false);
    }
}
