using System.Collections.Concurrent;
using System.Diagnostics;
using NodaTime;
using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;

namespace OutlookCalendarSync.Benchmarks.Notifications;

/// <summary>The in-memory host calendar, noting when the sync creates an event whose subject someone waits for.</summary>
internal sealed class SignallingCalendarStore(InMemoryCalendarStore inner, ConcurrentDictionary<string, TaskCompletionSource<long>> waiting) : ICalendarStore
{
    public InMemoryCalendarStore Inner { get; } = inner;

    public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, Interval window, CancellationToken cancellationToken) =>
        Inner.GetChangesAsync(userId, cursor, window, cancellationToken);

    public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken) =>
        Inner.GetAsync(userId, eventId, cancellationToken);

    public async Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken)
    {
        CalendarEvent stored = await Inner.CreateAsync(userId, create, cancellationToken);
        if (waiting.TryGetValue(stored.Subject ?? string.Empty, out TaskCompletionSource<long>? arrived))
        {
            arrived.TrySetResult(Stopwatch.GetTimestamp());
        }

        return stored;
    }

    public Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken) =>
        Inner.UpdateAsync(userId, update, cancellationToken);

    public Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken) =>
        Inner.DeleteAsync(userId, deletion, cancellationToken);
}
