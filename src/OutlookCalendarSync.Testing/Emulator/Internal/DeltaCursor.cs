using NodaTime;

namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// What a <c>$deltatoken</c> or <c>$skiptoken</c> stands for: a mailbox, a token generation, the fixed window,
/// the mailbox sequence the round is complete up to and (for a skip token) the entries still to send.
/// </summary>
internal sealed record DeltaCursor(string Mailbox, int Generation, Instant WindowStart, Instant WindowEnd, long Sequence, IReadOnlyList<DeltaEntry>? Pending);
