namespace OutlookCalendarSync.Testing.Emulator;

/// <summary>One request the emulator answered, as recorded in <see cref="GraphEmulator.RequestLog"/>.</summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Path">The request path, without the query string (for example <c>/v1.0/me/events/AAMk...</c>).</param>
/// <param name="Route">
/// The route template that matched, with the method (for example <c>GET /me/events/{id}</c>);
/// <c>/users/{id}/...</c> requests are recorded under the equivalent <c>/me/...</c> template,
/// and a path that matched no route under <c>METHOD (unknown)</c>.
/// </param>
/// <param name="StatusCode">The status sent, or 0 when the connection was dropped by an injected fault.</param>
/// <param name="Mailbox">The mailbox the bearer token resolved to, or <see langword="null"/> when it resolved to none.</param>
/// <param name="InBatch">Whether this was one request inside a <c>$batch</c> (the batch itself is also recorded).</param>
public sealed record RequestLogEntry(
    string Method,
    string Path,
    string Route,
    int StatusCode,
    string? Mailbox,
    bool InBatch);
