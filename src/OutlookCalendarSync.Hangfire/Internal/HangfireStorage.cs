using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace OutlookCalendarSync.Hangfire.Internal;

/// <summary>
/// The host's Hangfire job storage: the one <c>services.AddHangfire(...)</c> registered, or else <see cref="JobStorage.Current"/>;
/// found at first use, so the registration order of <c>AddHangfire</c> and <c>AddHangfireScheduling</c> does not matter.
/// </summary>
internal sealed class HangfireStorage(IServiceProvider services)
{
    private readonly Lazy<JobStorage> _storage = new(() => services.GetService<JobStorage>() ?? JobStorage.Current);

    /// <exception cref="InvalidOperationException">No job storage was configured (call <c>services.AddHangfire(c =&gt; c.Use...Storage(...))</c>).</exception>
    public JobStorage Storage => _storage.Value;
}
