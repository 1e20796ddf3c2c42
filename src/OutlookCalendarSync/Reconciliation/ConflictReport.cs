using OutlookCalendarSync.Abstractions;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Reconciliation;

/// <summary>A conflict and how it was resolved, as reported in plans and results.</summary>
/// <param name="LocalId">The host event's id, if any.</param>
/// <param name="RemoteId">The Outlook event's id, if any.</param>
/// <param name="Subject">The event's subject, for people.</param>
/// <param name="LocalChanged">Fields the host changed (all fields for a deletion).</param>
/// <param name="RemoteChanged">Fields Outlook changed (all fields for a deletion).</param>
/// <param name="Winner">Which way it went.</param>
/// <param name="Explanation">How it was decided.</param>
public sealed record ConflictReport(
    string? LocalId,
    string? RemoteId,
    string? Subject,
    EventFields LocalChanged,
    EventFields RemoteChanged,
    ConflictWinner Winner,
    string Explanation);
