using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.Diagnostics.HealthChecks;

/// <summary>Healthy when the state store answers a one-row read of the users due within the timeout.</summary>
internal sealed class StateStoreHealthCheck(IServiceScopeFactory scopes, IClock clock, TimeProvider time, Duration timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timedOut = new CancellationTokenSource(timeout.ToTimeSpan(), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timedOut.Token);
        try
        {
            // A scope per check: stores built on scoped services (an EF Core DbContext) are registered scoped.
            await using AsyncServiceScope scope = scopes.CreateAsyncScope();
            ISyncStateStore store = scope.ServiceProvider.GetRequiredService<ISyncStateStore>();
            await store.GetUsersDueAsync(clock.GetCurrentInstant(), 1, linked.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The sync state store answered.");
        }
        catch (OperationCanceledException) when (timedOut.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"The sync state store did not answer within {timeout.TotalSeconds:0.###} s: check that its database is up and reachable.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"The sync state store failed: {exception.Message}",
                exception);
        }
    }
}
