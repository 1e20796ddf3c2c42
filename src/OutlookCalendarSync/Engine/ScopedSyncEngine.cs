using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OutlookCalendarSync.Notifications;
using OutlookCalendarSync.Reporting;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Engine;

/// <summary>
/// The <see cref="ISyncEngine"/> hosts resolve (a singleton): each call runs a <see cref="SyncEngine"/> in a DI scope of its own,
/// so the ports it resolves (a host's store on a scoped EF Core DbContext, a scoped token provider) are never shared between
/// parallel runs, and are disposed when the call ends.
/// </summary>
internal sealed class ScopedSyncEngine : ISyncEngine
{
    private readonly IServiceScopeFactory _scopes;
    private readonly ChangeNotificationService? _notifications;

    public ScopedSyncEngine(IServiceScopeFactory scopes, IOptionsMonitor<OutlookCalendarSyncOptions> options, ChangeNotificationService? notifications = null)
    {
        _notifications = notifications;
        // Reading the options validates them: a host missing a port learns it when it resolves the engine, not at the first run.
        _ = options.CurrentValue;
        _scopes = scopes;
    }

    public Task<SyncResult> SyncAsync(string userId, CancellationToken cancellationToken = default)
        => InScopeAsync(engine => engine.SyncAsync(userId, cancellationToken));

    public Task<SyncPreview> PreviewAsync(string userId, CancellationToken cancellationToken = default)
        => InScopeAsync(engine => engine.PreviewAsync(userId, cancellationToken));

    public Task<SyncStateHeader> GetStatusAsync(string userId, CancellationToken cancellationToken = default)
        => InScopeAsync(engine => engine.GetStatusAsync(userId, cancellationToken));

    public Task PauseAsync(string userId, CancellationToken cancellationToken = default)
        => InScopeAsync(async engine => { await engine.PauseAsync(userId, cancellationToken).ConfigureAwait(false); return true; });

    public Task ResumeAsync(string userId, CancellationToken cancellationToken = default)
        => InScopeAsync(async engine => { await engine.ResumeAsync(userId, cancellationToken).ConfigureAwait(false); return true; });

    public async Task StopAsync(string userId, CancellationToken cancellationToken = default)
    {
        await InScopeAsync(async engine => { await engine.StopAsync(userId, cancellationToken).ConfigureAwait(false); return true; }).ConfigureAwait(false);
        await UnsubscribeAsync(userId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncResult> ResetAsync(string userId, ResetOptions options, CancellationToken cancellationToken = default)
    {
        SyncResult result = await InScopeAsync(engine => engine.ResetAsync(userId, options, cancellationToken)).ConfigureAwait(false);

        // The next completed run subscribes the user again.
        await UnsubscribeAsync(userId, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Deletes the user's change-notification subscription, when change notifications are on.</summary>
    private Task UnsubscribeAsync(string userId, CancellationToken cancellationToken) =>
        _notifications?.UnsubscribeAsync(userId, cancellationToken) ?? Task.CompletedTask;

    private async Task<T> InScopeAsync<T>(Func<SyncEngine, Task<T>> call)
    {
        AsyncServiceScope scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await call(scope.ServiceProvider.GetRequiredService<SyncEngine>()).ConfigureAwait(false);
        }
    }
}
