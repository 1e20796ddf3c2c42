using Microsoft.AspNetCore.WebUtilities;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>A request as the handlers see it, whether it came over HTTP or from inside a <c>$batch</c>.</summary>
internal sealed class EmulatorRequest
{
    public EmulatorRequest(string method, string path, string? queryString, IReadOnlyDictionary<string, string> headers, string? body, string? mailbox, bool inBatch, AppCaller? application = null)
    {
        Application = application;
        Method = method.ToUpperInvariant();
        Path = path;
        Headers = headers;
        Body = body;
        Mailbox = mailbox;
        InBatch = inBatch;
        var parsed = QueryHelpers.ParseQuery(queryString);
        Query = parsed.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase);
    }

    public string Method { get; }

    /// <summary>Gets the decoded path, starting with <c>/v1.0/</c>.</summary>
    public string Path { get; }

    public IReadOnlyDictionary<string, string> Query { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public string? Body { get; }

    /// <summary>Gets the mailbox of a delegated token's user, or null.</summary>
    public string? Mailbox { get; }

    /// <summary>Gets the application of an app-only token, or null.</summary>
    public AppCaller? Application { get; }

    public bool InBatch { get; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;
}
