namespace OutlookCalendarSync.Graph;

/// <summary>
/// One semaphore per mailbox with writes in flight, bounding the <c>$batch</c>es sent to it at once; a mailbox's semaphore is
/// dropped when its last writer leaves, so the set holds only mailboxes being written to now.
/// </summary>
/// <remarks>
/// Evicting idle gates was chosen over a fixed set of striped semaphores keyed by a hash of the mailbox: with stripes, two
/// mailboxes sharing a stripe would share its slots, so one mailbox's writes would wait for another's (safe, since fewer
/// requests reach Outlook, but a slower push for no reason). Here the limit is exact per mailbox and the memory is bounded by the
/// writes in flight. A gate is left only after its last batch finished, so no semaphore is dropped while in use.
/// </remarks>
internal sealed class MailboxGates(int slotsPerMailbox)
{
    private readonly Dictionary<string, Entry> _gates = new(StringComparer.Ordinal);

    /// <summary>The number of mailboxes with a gate now (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>Takes the mailbox's gate (creating it when no writer holds it); dispose the lease when the writes are done.</summary>
    public Lease Enter(string mailbox)
    {
        lock (_gates)
        {
            if (!_gates.TryGetValue(mailbox, out Entry? entry))
            {
                entry = new Entry(new SemaphoreSlim(slotsPerMailbox, slotsPerMailbox));
                _gates[mailbox] = entry;
            }

            entry.Holders++;
            return new Lease(this, mailbox, entry);
        }
    }

    private void Leave(string mailbox, Entry entry)
    {
        lock (_gates)
        {
            entry.Holders--;
            if (entry.Holders == 0)
            {
                _gates.Remove(mailbox);
                entry.Semaphore.Dispose();
            }
        }
    }

    /// <summary>A writer's hold on a mailbox's gate.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly MailboxGates _owner;
        private readonly string _mailbox;
        private readonly Entry _entry;

        internal Lease(MailboxGates owner, string mailbox, Entry entry)
        {
            _owner = owner;
            _mailbox = mailbox;
            _entry = entry;
        }

        /// <summary>The mailbox's semaphore: one slot per batch in flight.</summary>
        public SemaphoreSlim Semaphore => _entry.Semaphore;

        /// <inheritdoc />
        public void Dispose() => _owner.Leave(_mailbox, _entry);
    }

    internal sealed class Entry(SemaphoreSlim semaphore)
    {
        public SemaphoreSlim Semaphore { get; } = semaphore;

        public int Holders { get; set; }
    }
}
