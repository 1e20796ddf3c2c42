namespace OutlookCalendarSync.Cli;

/// <summary>
/// Turns the first Ctrl+C into a cancellation of the running command, which then ends with <see cref="ExitCodes.Cancelled"/>;
/// a second Ctrl+C lets the process end at once, for a command that does not stop.
/// </summary>
/// <threadsafety>Ctrl+C arrives on a thread of its own, possibly after the command has finished: every member is thread-safe.</threadsafety>
internal sealed class CancelKeyHandler : IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _cancellation = new();
    private bool _pressed;
    private bool _disposed;

    /// <summary>Gets the token the command runs with: cancelled by the first Ctrl+C.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Handles one Ctrl+C.</summary>
    /// <returns>Whether the process keeps running: true the first time, false the second.</returns>
    public bool Press()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                // The command has finished and the process is ending with its own exit code.
                return true;
            }

            if (_pressed)
            {
                return false;
            }

            _pressed = true;
            _cancellation.Cancel();
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _cancellation.Dispose();
        }
    }
}
