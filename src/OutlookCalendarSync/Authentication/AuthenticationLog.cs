using Microsoft.Extensions.Logging;

namespace OutlookCalendarSync.Authentication;

/// <summary>Log messages of the sign-in and token services: user ids and error codes only, never a code, token, state or secret.</summary>
internal static partial class AuthenticationLog
{
    [LoggerMessage(101, LogLevel.Information, "User {UserId}: sign-in URL built")]
    public static partial void SignInStarted(ILogger logger, string userId);

    [LoggerMessage(102, LogLevel.Information, "User {UserId}: Microsoft account {AccountId} connected")]
    public static partial void Connected(ILogger logger, string userId, string accountId);

    [LoggerMessage(103, LogLevel.Warning, "User {UserId}: sign-in rejected: the state is missing, unknown, another user's, replaced, already used or expired")]
    public static partial void InvalidState(ILogger logger, string userId);

    [LoggerMessage(104, LogLevel.Warning, "User {UserId}: Microsoft Entra answered the sign-in with {Error}")]
    public static partial void Denied(ILogger logger, string userId, string error);

    [LoggerMessage(105, LogLevel.Warning, "User {UserId}: the authorization code could not be exchanged ({Error})")]
    public static partial void ExchangeFailed(ILogger logger, string userId, string error);

    [LoggerMessage(106, LogLevel.Information, "User {UserId}: Microsoft account disconnected")]
    public static partial void Disconnected(ILogger logger, string userId);

    [LoggerMessage(107, LogLevel.Warning, "User {UserId}: the Microsoft sign-in can no longer be used ({Error}); the user must connect again")]
    public static partial void ReauthorizationRequired(ILogger logger, string userId, string error);
}
