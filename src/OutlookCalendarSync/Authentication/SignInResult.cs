namespace OutlookCalendarSync.Authentication;

/// <summary>The outcome of <see cref="IMicrosoftAccountAuthorization.CompleteSignInAsync(IReadOnlyDictionary{string, string}, string, CancellationToken)"/>.</summary>
public sealed record SignInResult
{
    /// <summary>Gets how the sign-in ended.</summary>
    public required SignInStatus Status { get; init; }

    /// <summary>Gets the host's user id the sign-in was for, when the <c>state</c> was the user's pending sign-in.</summary>
    public string? UserId { get; init; }

    /// <summary>Gets the connection, when <see cref="Status"/> is <see cref="SignInStatus.Connected"/>.</summary>
    public MicrosoftAccountConnection? Connection { get; init; }

    /// <summary>Gets the OAuth error code (<c>access_denied</c>, <c>invalid_grant</c>…), when the sign-in failed.</summary>
    public string? Error { get; init; }

    /// <summary>Gets a message to show the user: what happened and what to do.</summary>
    public required string Message { get; init; }

    /// <summary>Gets whether the account is connected.</summary>
    public bool IsConnected => Status == SignInStatus.Connected;
}
