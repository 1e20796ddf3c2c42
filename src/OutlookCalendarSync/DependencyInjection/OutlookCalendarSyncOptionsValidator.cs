using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Stores;

namespace OutlookCalendarSync.DependencyInjection;

/// <summary>Checks the options and that every port has an implementation, with messages that say what to fix.</summary>
internal sealed class OutlookCalendarSyncOptionsValidator(IServiceProviderIsService services) : IValidateOptions<OutlookCalendarSyncOptions>
{
    public ValidateOptionsResult Validate(string? name, OutlookCalendarSyncOptions options)
    {
        var failures = options.Validate().ToList();
        Require<ICalendarStore>("a host calendar store: call .UseCalendarStore<T>() on the builder AddOutlookCalendarSync returns (or .UseSqliteStores() from OutlookCalendarSync.Sqlite)");
        Require<IOutlookCalendar>("an Outlook calendar: call .UseOutlookCalendar<T>() on the builder (the Microsoft Graph adapter, or InMemoryOutlookCalendar from OutlookCalendarSync.Testing in tests)");
        Require<ISyncStateStore>("a sync state store: call .UseSyncStateStore<T>() on the builder (or .UseSqliteStores() from OutlookCalendarSync.Sqlite)");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Require<TService>(string what)
        {
            if (!services.IsService(typeof(TService)))
            {
                failures.Add($"No {typeof(TService).Name} is registered. OutlookCalendarSync needs {what}.");
            }
        }
    }
}
