using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// What a <c>$deltatoken</c> or <c>$skiptoken</c> stands for: a mailbox, a token generation, the fixed window,
/// the mailbox sequence the round is complete up to, (for a skip token) the entries still to send, and the <c>$expand</c> of the
/// round's first request, which Graph keeps in its links as it keeps every query option.
/// </summary>
internal sealed record DeltaCursor(string Mailbox, int Generation, Instant WindowStart, Instant WindowEnd, long Sequence, IReadOnlyList<DeltaEntry>? Pending, string? Expand = null);
