using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace OutlookCalendarSync.Internal;

/// <summary>
/// The NodaTime view of a <see cref="TimeProvider"/>: the library's one clock. Instants (<see cref="IClock"/>, NodaTime's type,
/// which the model and the stores use) and waits (<see cref="TimeProvider"/>, which the BCL's timers and HTTP code use) come from
/// the same registered <see cref="TimeProvider"/>, so a host or a test that registers one fake drives both.
/// </summary>
/// <param name="time">The time provider read.</param>
internal sealed class TimeProviderClock(TimeProvider time) : IClock
{
    /// <inheritdoc />
    public Instant GetCurrentInstant() => Instant.FromDateTimeOffset(time.GetUtcNow());

    /// <summary>
    /// Registers the one clock unless the host did: <see cref="TimeProvider.System"/>, and an <see cref="IClock"/> that reads
    /// whichever <see cref="TimeProvider"/> is registered. A host that registers its own <see cref="IClock"/> keeps it.
    /// </summary>
    /// <param name="services">The services.</param>
    public static void TryAdd(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IClock>(sp => new TimeProviderClock(sp.GetRequiredService<TimeProvider>()));
    }
}
