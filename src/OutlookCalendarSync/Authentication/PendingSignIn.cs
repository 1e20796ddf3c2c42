using NodaTime;

namespace OutlookCalendarSync.Authentication;

/// <summary>A sign-in URL handed out and not yet completed: whose it is, the PKCE verifier, and when it expires.</summary>
internal sealed record PendingSignIn(string UserId, string CodeVerifier, Instant ExpiresAt);
