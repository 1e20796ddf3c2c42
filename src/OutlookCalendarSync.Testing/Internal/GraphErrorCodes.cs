
using OutlookCalendarSync.Calendars;

namespace OutlookCalendarSync.Testing.Internal;

/// <summary>The error codes Microsoft Graph puts in failed responses, as the doubles report them.</summary>
internal static class GraphErrorCodes
{
    public const string ItemNotFound = "ErrorItemNotFound";
    public const string IrresolvableConflict = "ErrorIrresolvableConflict";
    public const string InvalidRequest = "ErrorInvalidRequest";
    public const string TooManyRequests = "TooManyRequests";

    public static string For(WriteStatus status) => status switch
    {
        WriteStatus.NotFound => ItemNotFound,
        WriteStatus.VersionConflict => IrresolvableConflict,
        WriteStatus.TransientFailure => TooManyRequests,
        _ => InvalidRequest,
    };
}
