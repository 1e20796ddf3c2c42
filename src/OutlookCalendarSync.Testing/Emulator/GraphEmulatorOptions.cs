using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>Settings for <see cref="GraphEmulator.StartAsync(GraphEmulatorOptions, CancellationToken)"/>.</summary>
public sealed class GraphEmulatorOptions
{
    /// <summary>Gets or sets the clock that stamps <c>createdDateTime</c>, <c>lastModifiedDateTime</c> and error dates.</summary>
    /// <value><see cref="SystemClock.Instance"/> by default; tests pass a <c>FakeClock</c>.</value>
    public IClock Clock { get; set; } = SystemClock.Instance;

    /// <summary>
    /// Gets or sets how a bearer token maps to a mailbox: the function gets the token (without <c>Bearer </c>) and
    /// returns the mailbox name, or <see langword="null"/> to answer 401 <c>InvalidAuthenticationToken</c>.
    /// </summary>
    /// <value>By default the token is the mailbox name (<c>Authorization: Bearer alice</c> is mailbox <c>alice</c>).</value>
    public Func<string, string?> ResolveMailbox { get; set; } = static token => token;

    /// <summary>Gets or sets the domain of mailbox addresses for mailbox names that contain no <c>@</c>.</summary>
    /// <value><c>emulator.test</c> by default, so mailbox <c>alice</c> is <c>alice@emulator.test</c>.</value>
    public string MailboxDomain { get; set; } = "emulator.test";

    /// <summary>Gets or sets the latency added to every HTTP request (not to each request inside a <c>$batch</c>).</summary>
    /// <value><see cref="TimeSpan.Zero"/> by default; can also be changed later through <see cref="GraphEmulator.Latency"/>.</value>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets or sets the page size of <c>calendarView/delta</c> when the client sends no <c>Prefer: odata.maxpagesize</c>.</summary>
    /// <value>50 by default.</value>
    public int DefaultDeltaPageSize { get; set; } = 50;
}
