namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// One item of a delta round: an event to send in full, an occurrence to send stripped, or a removal. <see cref="Group"/> is the
/// series master id for the parts of a series (the event's own id otherwise): a page never ends inside a group.
/// </summary>
internal readonly record struct DeltaEntry(string Id, DeltaItemKind Kind, string Group);
