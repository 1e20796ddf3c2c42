using System.Globalization;
using System.Text.Json.Nodes;
using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>Graph's error bodies and the answers of injected faults.</summary>
internal static class GraphResponses
{
    public static EmulatorResponse Error(int statusCode, string code, string message, Instant now) =>
        new(statusCode, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = now.ToDateTimeUtc().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = Guid.NewGuid().ToString(),
                    ["client-request-id"] = Guid.NewGuid().ToString(),
                },
            },
        });

    /// <summary>
    /// Graph's answer to a request over Outlook's 4 concurrent requests per mailbox: 429 with a <c>Retry-After</c> of one second.
    /// </summary>
    public static EmulatorResponse MailboxConcurrency(Instant now)
    {
        var response = Error(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", now);
        response.Headers["Retry-After"] = "1";
        return response;
    }

    /// <summary>The answer of a request carried out under a <see cref="GraphFaultKind.LostAnswer"/> or <see cref="GraphFaultKind.TruncatedAnswer"/> fault.</summary>
    public static EmulatorResponse Spoil(GraphFault fault, EmulatorResponse carriedOut)
    {
        if (fault.Kind == GraphFaultKind.LostAnswer)
        {
            return new EmulatorResponse(0) { AbortConnection = true };
        }

        var text = carriedOut.Body?.ToJsonString() ?? "{}";
        var truncated = new EmulatorResponse(carriedOut.StatusCode) { RawBody = text[..(text.Length / 2)] };
        foreach (var (name, value) in carriedOut.Headers)
        {
            truncated.Headers[name] = value;
        }

        return truncated;
    }

    public static EmulatorResponse Fault(GraphFault fault, Instant now)
    {
        var response = fault.Kind switch
        {
            GraphFaultKind.TooManyRequests => Error(429, "TooManyRequests", "Application is over its MailboxConcurrency limit.", now),
            GraphFaultKind.ServiceUnavailable => Error(503, "ServiceUnavailable", "The service is temporarily unavailable. Try again later.", now),
            GraphFaultKind.GatewayTimeout => Error(504, "UnknownError", "The gateway timed out waiting for the service.", now),
            GraphFaultKind.SyncStateNotFound => Error(410, "SyncStateNotFound", "The sync state generation is not found. Do a full synchronization again.", now),
            GraphFaultKind.Unauthorized => Error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", now),
            GraphFaultKind.PreconditionFailed => Error(412, "ErrorIrresolvableConflict", "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.", now),
            GraphFaultKind.DropConnection => new EmulatorResponse(0) { AbortConnection = true },
            GraphFaultKind.MalformedBody => new EmulatorResponse(200) { RawBody = "{\"value\":[{\"id\":\"AAMk\",\"subject\":" },
            _ => throw new InvalidOperationException($"A {fault.Kind} fault has no response of its own."),
        };

        var retryAfter = fault.RetryAfter ?? (fault.Kind == GraphFaultKind.TooManyRequests ? TimeSpan.Zero : null);
        if (fault.Kind is GraphFaultKind.TooManyRequests or GraphFaultKind.ServiceUnavailable or GraphFaultKind.GatewayTimeout)
        {
            if (fault.RetryAfterHeader is { } written)
            {
                response.Headers["Retry-After"] = written;
            }
            else if (retryAfter is { } delay)
            {
                response.Headers["Retry-After"] = ((long)Math.Ceiling(Math.Max(0, delay.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
            }
        }

        return response;
    }
}
