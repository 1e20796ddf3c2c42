using System.Diagnostics;
using Hangfire.Storage;
using NodaTime;
using NodaTime.Text;

namespace OutlookCalendarSync.Hangfire.Internal;

/// <summary>
/// Keeps dispatches from running side by side across a farm by a marker of its own in Hangfire's storage ("a dispatch by
/// <c>Owner</c> is in progress until <c>Until</c>"), not by holding a storage distributed lock for a whole dispatch: a storage
/// expires a lock held longer than its own timeout (Hangfire.PostgreSql's <c>DistributedLockTimeout</c>), after which the next
/// dispatch started beside the first. The dispatch lock is now held only for the one read and one write that take, renew or drop
/// the marker, far below any storage's lock timeout.
/// </summary>
/// <remarks>
/// A dispatch renews its marker every <see cref="RenewEvery"/> while it works (between slices of its due list); a dispatch whose
/// server died leaves a marker that runs out after <see cref="Lease"/>, after which the next dispatch starts. A dispatch that stalled
/// past its lease and was taken over finds another owner at its next renewal and stops. The guard is about throughput, not safety:
/// each user's enqueue is checked under the user's own lock (<see cref="PendingUserJobs.EnqueueDue"/>), so even two dispatches side by
/// side never enqueue a user twice.
/// </remarks>
internal sealed class DispatchGuard
{
    /// <summary>The storage lock taken for the short read and write of the marker (the name the dispatch lock always had).</summary>
    public const string LockName = "outlook-calendar-sync:dispatcher";

    /// <summary>The hash holding the marker.</summary>
    public const string MarkerKey = "outlook-calendar-sync:dispatch";

    /// <summary>How long a marker holds without renewal: the longest a dead server's dispatch keeps the others waiting.</summary>
    public static readonly Duration Lease = Duration.FromMinutes(1);

    /// <summary>How often a working dispatch renews its marker; far below <see cref="Lease"/>, so a slow slice never lets it lapse.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    /// <summary>How long taking the marker waits for the dispatch lock, held by another server for a read and a write only.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(1);

    /// <summary>How long dropping the marker waits for the lock; a marker left behind runs out after <see cref="Lease"/>.</summary>
    private static readonly TimeSpan ExitLockWait = TimeSpan.FromSeconds(5);

    private const string OwnerField = "Owner";
    private const string UntilField = "Until";

    private readonly IClock _clock;
    private readonly TimeSpan _renewEvery;
    private long _renewedAt;

    private DispatchGuard(string owner, IClock clock, TimeSpan renewEvery)
    {
        Owner = owner;
        _clock = clock;
        _renewEvery = renewEvery;
        _renewedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>This dispatch's id in the marker.</summary>
    public string Owner { get; }

    /// <summary>
    /// Takes the marker when no other dispatch holds it, or null when one does (or holds the dispatch lock for longer than
    /// <see cref="LockWait"/>). <paramref name="renewEvery"/> is <see cref="RenewEvery"/> unless given (tests).
    /// </summary>
    public static DispatchGuard? TryEnter(IStorageConnection connection, IClock clock, TimeSpan? renewEvery = null)
    {
        IDisposable? dispatchLock = TryLock(connection, LockWait);
        if (dispatchLock is null)
        {
            return null;
        }

        using (dispatchLock)
        {
            Instant now = clock.GetCurrentInstant();
            if (Read(connection) is { } held && held.Until > now)
            {
                return null;
            }

            var guard = new DispatchGuard(Guid.NewGuid().ToString("N"), clock, renewEvery ?? RenewEvery);
            guard.Write(connection, now);
            return guard;
        }
    }

    /// <summary>
    /// Renews the marker when <see cref="RenewEvery"/> has passed since the last renewal. False when another dispatch holds the
    /// marker now (this one outlived its lease and was taken over): the dispatch stops.
    /// </summary>
    public bool Renew(IStorageConnection connection)
    {
        if (Stopwatch.GetElapsedTime(_renewedAt) < _renewEvery)
        {
            return true;
        }

        IDisposable? dispatchLock = TryLock(connection, LockWait);
        if (dispatchLock is null)
        {
            // Another server is reading the marker (it finds this one's, valid for a while yet); renew at the next slice.
            return true;
        }

        using (dispatchLock)
        {
            if (Read(connection) is { } held && held.Owner != Owner)
            {
                return false;
            }

            Write(connection, _clock.GetCurrentInstant());
            _renewedAt = Stopwatch.GetTimestamp();
            return true;
        }
    }

    /// <summary>Drops the marker if this dispatch still holds it, so the next dispatch need not wait for it to run out.</summary>
    public void Exit(IStorageConnection connection)
    {
        IDisposable? dispatchLock = TryLock(connection, ExitLockWait);
        if (dispatchLock is null)
        {
            return;
        }

        using (dispatchLock)
        {
            if (Read(connection) is { } held && held.Owner == Owner)
            {
                using IWriteOnlyTransaction transaction = connection.CreateWriteTransaction();
                transaction.RemoveHash(MarkerKey);
                transaction.Commit();
            }
        }
    }

    private static IDisposable? TryLock(IStorageConnection connection, TimeSpan wait)
    {
        try
        {
            return connection.AcquireDistributedLock(LockName, wait);
        }
        catch (Exception exception) when (IsLockBusy(exception))
        {
            return null;
        }
    }

    /// <summary>
    /// Hangfire's lock timeout, or a storage's own lock exception (Hangfire.PostgreSql's <c>PostgreSqlDistributedLockException</c>
    /// derives from <see cref="Exception"/> only), directly or inside.
    /// </summary>
    private static bool IsLockBusy(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is global::Hangfire.Storage.DistributedLockTimeoutException || e.GetType().Name.EndsWith("DistributedLockException", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static (string Owner, Instant Until)? Read(IStorageConnection connection)
    {
        Dictionary<string, string>? hash = connection.GetAllEntriesFromHash(MarkerKey);
        if (hash is null || !hash.TryGetValue(OwnerField, out string? owner) || string.IsNullOrEmpty(owner))
        {
            return null;
        }

        Instant until = hash.TryGetValue(UntilField, out string? text) && InstantPattern.ExtendedIso.Parse(text ?? string.Empty) is { Success: true } parsed
            ? parsed.Value
            : Instant.MinValue;
        return (owner, until);
    }

    private void Write(IStorageConnection connection, Instant now)
    {
        using IWriteOnlyTransaction transaction = connection.CreateWriteTransaction();
        transaction.SetRangeInHash(MarkerKey, new Dictionary<string, string>
        {
            [OwnerField] = Owner,
            [UntilField] = InstantPattern.ExtendedIso.Format(now + Lease),
        });
        transaction.Commit();
    }
}
