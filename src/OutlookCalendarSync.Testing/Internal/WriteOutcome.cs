using OutlookCalendarSync.Calendars;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Testing.Internal;

/// <summary>How one write to an in-memory calendar ended; each double turns it into its port's way of reporting (result or exception).</summary>
/// <param name="Status">How the write ended.</param>
/// <param name="Event">The stored event after a successful create or update.</param>
/// <param name="ErrorCode">A Graph-like error code for failures.</param>
/// <param name="Message">What went wrong, for people.</param>
/// <param name="ExpectedVersion">For a version conflict: the version the writer read.</param>
/// <param name="ActualVersion">For a version conflict: the version the calendar holds.</param>
internal sealed record WriteOutcome(
    WriteStatus Status,
    CalendarEvent? Event = null,
    string? ErrorCode = null,
    string? Message = null,
    string? ExpectedVersion = null,
    string? ActualVersion = null)
{
    public static WriteOutcome Success(CalendarEvent? stored) => new(WriteStatus.Succeeded, stored);

    public static WriteOutcome NotFound(string eventId)
        => new(WriteStatus.NotFound, ErrorCode: GraphErrorCodes.ItemNotFound, Message: $"Event '{eventId}' does not exist.");

    public static WriteOutcome Conflict(string eventId, string? expectedVersion, string? actualVersion)
        => new(
            WriteStatus.VersionConflict,
            ErrorCode: GraphErrorCodes.IrresolvableConflict,
            Message: $"Event '{eventId}' changed since it was read (expected version '{expectedVersion}', found '{actualVersion}').",
            ExpectedVersion: expectedVersion,
            ActualVersion: actualVersion);

    public static WriteOutcome Invalid(string message) => new(WriteStatus.PermanentFailure, ErrorCode: GraphErrorCodes.InvalidRequest, Message: message);
}
