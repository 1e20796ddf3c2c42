using NodaTime;
using OutlookCalendarSync.AppOnly;

namespace OutlookCalendarSync.Specification.Tests;

/// <summary>What every <see cref="ITenantConsentStore"/> must do; derive from it to check an implementation.</summary>
public abstract class TenantConsentStoreContract
{
    private const string Tenant = "contoso.onmicrosoft.com";
    private static readonly Instant Checked = Instant.FromUtc(2026, 11, 30, 9, 0);

    private ITenantConsentStore? _store;

    /// <summary>Gets the store under test, created on first use.</summary>
    protected ITenantConsentStore Store => _store ??= CreateStore();

    /// <summary>Creates an empty store; called once per test.</summary>
    /// <returns>The store.</returns>
    protected abstract ITenantConsentStore CreateStore();

    [Fact]
    public async Task GetAsync_UnknownTenant_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(Tenant, default));
    }

    [Fact]
    public async Task SaveAsync_ThenGetAsync_ReturnsEveryField()
    {
        var refused = new TenantConsent
        {
            TenantId = Tenant,
            Status = TenantConsentStatus.ConsentRevoked,
            CheckedAt = Checked,
            NextCheckAt = Checked + Duration.FromMinutes(15),
            Detail = "Microsoft Entra does not know the app in this tenant (unauthorized_client: AADSTS700016 ÿ 'x').",
        };

        await Store.SaveAsync(refused, default);
        TenantConsent? read = await Store.GetAsync(Tenant, default);

        Assert.NotNull(read);
        Assert.Equal(Tenant, read.TenantId);
        Assert.Equal(TenantConsentStatus.ConsentRevoked, read.Status);
        Assert.Equal(Checked, read.CheckedAt);
        Assert.Equal(Checked + Duration.FromMinutes(15), read.NextCheckAt);
        Assert.Equal(refused.Detail, read.Detail);
    }

    [Fact]
    public async Task SaveAsync_LaterCheck_ReplacesTheStatus_AndNullsStayNull()
    {
        await Store.SaveAsync(new TenantConsent { TenantId = Tenant, Status = TenantConsentStatus.Misconfigured, CheckedAt = Checked, NextCheckAt = Checked + Duration.FromMinutes(15), Detail = "wrong secret" }, default);

        await Store.SaveAsync(new TenantConsent { TenantId = Tenant, Status = TenantConsentStatus.Consented, CheckedAt = Checked + Duration.FromMinutes(1) }, default);
        TenantConsent? read = await Store.GetAsync(Tenant, default);

        Assert.Equal(TenantConsentStatus.Consented, read!.Status);
        Assert.Equal(Checked + Duration.FromMinutes(1), read.CheckedAt);
        Assert.Null(read.NextCheckAt);
        Assert.Null(read.Detail);
    }

    [Fact]
    public async Task SaveAsync_OlderCheckArrivingLate_LeavesTheNewerStatus()
    {
        await Store.SaveAsync(new TenantConsent { TenantId = Tenant, Status = TenantConsentStatus.Consented, CheckedAt = Checked + Duration.FromMinutes(5) }, default);

        await Store.SaveAsync(new TenantConsent { TenantId = Tenant, Status = TenantConsentStatus.ConsentRevoked, CheckedAt = Checked, NextCheckAt = Checked + Duration.FromMinutes(15) }, default);

        Assert.Equal(TenantConsentStatus.Consented, (await Store.GetAsync(Tenant, default))!.Status);
    }

    [Fact]
    public async Task GetAsync_TenantInAnotherCase_FindsTheSameRow()
    {
        await Store.SaveAsync(new TenantConsent { TenantId = "Contoso.OnMicrosoft.com", Status = TenantConsentStatus.Consented, CheckedAt = Checked }, default);

        Assert.Equal(TenantConsentStatus.Consented, (await Store.GetAsync(Tenant, default))!.Status);
        Assert.Null(await Store.GetAsync("fabrikam.onmicrosoft.com", default));
    }

    [Fact]
    public async Task SaveAsync_WithoutCheckedAt_Throws()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SaveAsync(new TenantConsent { TenantId = Tenant, Status = TenantConsentStatus.Consented }, default));
        Assert.Null(await Store.GetAsync(Tenant, default));
    }
}
