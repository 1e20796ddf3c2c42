using System.Runtime.CompilerServices;

namespace OutlookCalendarSync.Internal;

/// <summary>Argument checks with messages that name the argument and say what to do.</summary>
internal static class Guard
{
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class
        => value ?? throw new ArgumentNullException(name);

    public static string NotNullOrWhiteSpace(string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value is null)
        {
            throw new ArgumentNullException(name, $"{name} must not be null: pass the non-empty identifier of the item.");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{name} must not be empty or white space: pass the non-empty identifier of the item.", name);
        }

        return value;
    }

    public static string UserId(string? userId, [CallerArgumentExpression(nameof(userId))] string? name = null)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            throw new ArgumentException(
                $"{name} must be the host application's non-empty identifier of the user whose calendar is synced (it was {(userId is null ? "null" : "empty")}).",
                name);
        }

        return userId;
    }
}
