namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// Outlook's limit of 4 requests of one application carried out at once against one mailbox. A request holds one slot while it
/// is carried out; a <c>$batch</c> holds as many as it runs side by side (its independent requests, 4 at most).
/// </summary>
internal sealed class MailboxConcurrency
{
    /// <summary>Outlook's limit of concurrent requests per application and mailbox.</summary>
    public const int Limit = 4;

    private readonly object gate = new();
    private int held;

    /// <summary>Takes up to <paramref name="wanted"/> free slots; returns how many were taken (0 when all are held).</summary>
    public int Take(int wanted)
    {
        lock (gate)
        {
            var taken = Math.Min(wanted, Limit - held);
            held += taken;
            return taken;
        }
    }

    public void Return(int slots)
    {
        lock (gate)
        {
            held -= slots;
        }
    }
}
