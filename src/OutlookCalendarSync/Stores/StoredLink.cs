using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Stores;

/// <summary>A link row of an <see cref="ISyncStateStore"/>: a host event id, the Outlook event id it is paired with, and the engine's payload.</summary>
/// <remarks>
/// <see cref="Payload"/> is opaque, versioned text the engine owns (what both events looked like when last in sync, versions last
/// seen, markers of writes in flight): store it as given, in a text column with no length limit.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class StoredLink
{
    /// <summary>Creates a link row.</summary>
    /// <param name="hostId">The host event's id.</param>
    /// <param name="outlookId">The Outlook event's id.</param>
    /// <param name="payload">The engine's payload.</param>
    /// <exception cref="ArgumentException">An id is empty or white space.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StoredLink(string hostId, string outlookId, string payload)
    {
        HostId = Guard.NotNullOrWhiteSpace(hostId);
        OutlookId = Guard.NotNullOrWhiteSpace(outlookId);
        Payload = Guard.NotNull(payload);
    }

    /// <summary>The host event's id; unique among a user's links.</summary>
    public string HostId { get; }

    /// <summary>The Outlook event's id; unique among a user's links.</summary>
    public string OutlookId { get; }

    /// <summary>The engine's opaque payload.</summary>
    public string Payload { get; }
}
