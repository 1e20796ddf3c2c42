namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>One item of a delta round: an event to send, or a removal.</summary>
internal readonly record struct DeltaEntry(string Id, bool Removed);
