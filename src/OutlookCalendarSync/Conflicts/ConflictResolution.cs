using OutlookCalendarSync.Internal;
using OutlookCalendarSync.Model;

namespace OutlookCalendarSync.Conflicts;

/// <summary>What a <see cref="IConflictResolver"/> decided: the content both sides should hold, or that the event goes.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record ConflictResolution
{
    private ConflictResolution(CalendarEvent? result, ConflictWinner winner, string explanation)
    {
        Result = result;
        Winner = winner;
        Explanation = Guard.NotNull(explanation);
    }

    /// <summary>The content both sides should hold, or null when the event is deleted on both.</summary>
    public CalendarEvent? Result { get; }

    /// <summary>Which way it went.</summary>
    public ConflictWinner Winner { get; }

    /// <summary>How it was decided, for people (reported in the sync result).</summary>
    public string Explanation { get; }

    /// <summary>Keep the given content on both sides.</summary>
    /// <param name="result">The content.</param>
    /// <param name="winner">Which way it went.</param>
    /// <param name="explanation">How it was decided.</param>
    /// <returns>The resolution.</returns>
    public static ConflictResolution Keep(CalendarEvent result, ConflictWinner winner, string explanation)
        => new(Guard.NotNull(result), winner == ConflictWinner.Deleted ? throw new ArgumentException("Use Delete() to delete.", nameof(winner)) : winner, explanation);

    /// <summary>Delete the event on both sides.</summary>
    /// <param name="explanation">How it was decided.</param>
    /// <returns>The resolution.</returns>
    public static ConflictResolution Delete(string explanation) => new(null, ConflictWinner.Deleted, explanation);
}
