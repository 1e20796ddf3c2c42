using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;
using OutlookCalendarSync.Testing;
using static OutlookCalendarSync.Specification.Tests.ContractEvents;

namespace OutlookCalendarSync.Tests.Contracts;

/// <summary>
/// <see cref="ICalendarStore.CreateManyAsync"/> as a store that does not override it gets it: each create by
/// <see cref="ICalendarStore.CreateAsync"/>, a refused one reported as <see cref="EventWriteResult.HostRefused"/> reports it.
/// </summary>
public sealed class DefaultCreateManyTests
{
    private const string UserId = "user-1";

    [Fact]
    public async Task CreateManyAsync_OneCreateRefused_ItFailsTransientAsTheEngineSaysAndTheOthersAreMade()
    {
        ICalendarStore store = new RefusingStore(new InMemoryCalendarStore());

        IReadOnlyList<EventWriteResult> results = await store.CreateManyAsync(
            UserId, [EventWrite.Create(InWindow("a")), EventWrite.Create(InWindow("bad", 1)), EventWrite.Create(InWindow("c", 2))], default);

        Assert.Equal([WriteStatus.Succeeded, WriteStatus.TransientFailure, WriteStatus.Succeeded], results.Select(r => r.Status));
        Assert.Equal(EventWriteResult.HostRefused(new InvalidOperationException("The subject 'bad' is refused.")), results[1]);
        Assert.Equal("The host calendar refused the write: The subject 'bad' is refused.", results[1].Message);
        Assert.Equal(["a", "c"], results.Where(r => r.Succeeded).Select(r => r.Event!.Subject));
    }

    [Fact]
    public void HostUnconfirmed_SaysTheWriteMayHaveBeenKept_AndIsTransient()
    {
        EventWriteResult result = EventWriteResult.HostUnconfirmed(new IOException("disk full"));

        Assert.Equal(WriteStatus.TransientFailure, result.Status);
        Assert.Equal("The host calendar could not confirm the write: disk full", result.Message);
        Assert.Throws<ArgumentNullException>(() => EventWriteResult.HostRefused(null!));
    }

    /// <summary>Refuses events whose subject is <c>bad</c>; keeps the interface's own <see cref="ICalendarStore.CreateManyAsync"/>.</summary>
    private sealed class RefusingStore(InMemoryCalendarStore inner) : ICalendarStore
    {
        public Task<ChangeFeed> GetChangesAsync(string userId, string? cursor, NodaTime.Interval window, CancellationToken cancellationToken)
            => inner.GetChangesAsync(userId, cursor, window, cancellationToken);

        public Task<CalendarEvent?> GetAsync(string userId, string eventId, CancellationToken cancellationToken) => inner.GetAsync(userId, eventId, cancellationToken);

        public Task<CalendarEvent> CreateAsync(string userId, EventCreate create, CancellationToken cancellationToken) =>
            create.Event.Subject == "bad"
                ? throw new InvalidOperationException("The subject 'bad' is refused.")
                : inner.CreateAsync(userId, create, cancellationToken);

        public Task<CalendarEvent> UpdateAsync(string userId, EventUpdate update, CancellationToken cancellationToken)
            => inner.UpdateAsync(userId, update, cancellationToken);

        public Task DeleteAsync(string userId, EventDelete deletion, CancellationToken cancellationToken) => inner.DeleteAsync(userId, deletion, cancellationToken);
    }
}
