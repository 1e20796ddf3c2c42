namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// The user codes the devicecode endpoint issued that no test has taken yet, and the tests waiting for one: a code goes to the
/// first waiter for its client (or for any client), else waits, in issue order, for the first such waiter to come.
/// </summary>
internal sealed class IssuedUserCodes
{
    private readonly object gate = new();
    private readonly List<(string ClientId, string UserCode)> untaken = [];
    private readonly List<Waiter> waiters = [];

    public void Issued(string clientId, string userCode)
    {
        lock (gate)
        {
            foreach (var waiter in waiters.Where(w => w.Wants(clientId)).ToList())
            {
                waiters.Remove(waiter);
                if (waiter.Result.TrySetResult(userCode))
                {
                    return;
                }
            }

            untaken.Add((clientId, userCode));
        }
    }

    /// <summary>Drops a code no one took before its device code was forgotten, so that no test is handed a dead code.</summary>
    public void Forget(string userCode)
    {
        lock (gate)
        {
            untaken.RemoveAll(u => string.Equals(u.UserCode, userCode, StringComparison.OrdinalIgnoreCase));
        }
    }

    public async Task<string> NextAsync(string? clientId, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(clientId);
        lock (gate)
        {
            int index = untaken.FindIndex(u => waiter.Wants(u.ClientId));
            if (index >= 0)
            {
                string userCode = untaken[index].UserCode;
                untaken.RemoveAt(index);
                return userCode;
            }

            waiters.Add(waiter);
        }

        using (cancellationToken.Register(() =>
        {
            lock (gate)
            {
                waiters.Remove(waiter);
            }

            waiter.Result.TrySetCanceled(cancellationToken);
        }))
        {
            return await waiter.Result.Task.ConfigureAwait(false);
        }
    }

    private sealed class Waiter(string? clientId)
    {
        public TaskCompletionSource<string> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Wants(string issuedTo) => clientId is null || string.Equals(clientId, issuedTo, StringComparison.OrdinalIgnoreCase);
    }
}
