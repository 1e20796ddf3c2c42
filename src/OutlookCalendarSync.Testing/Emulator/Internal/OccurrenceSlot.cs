using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// Where a series' pattern puts one occurrence: its original date in the series' time zone, its span, and its local start and
/// end in the zones of the master's start and end (all-day occurrences: midnights of their dates).
/// </summary>
internal readonly record struct OccurrenceSlot(LocalDate OriginalDate, Instant Start, Instant End, LocalDateTime StartLocal, LocalDateTime EndLocal);
