using System.Text.Json.Nodes;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>An answer before it is written to HTTP or into a <c>$batch</c> response.</summary>
internal sealed class EmulatorResponse
{
    public EmulatorResponse(int statusCode, JsonNode? body = null)
    {
        StatusCode = statusCode;
        Body = body;
    }

    public int StatusCode { get; }

    public JsonNode? Body { get; }

    /// <summary>Gets or sets a body sent verbatim instead of <see cref="Body"/> (for malformed-body faults).</summary>
    public string? RawBody { get; init; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool AbortConnection { get; init; }
}
