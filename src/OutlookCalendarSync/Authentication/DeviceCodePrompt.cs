using NodaTime;

namespace OutlookCalendarSync.Authentication;

/// <summary>What the user needs for a device code sign-in: where to go and the code to enter there.</summary>
public sealed class DeviceCodePrompt
{
    internal DeviceCodePrompt(string userCode, Uri verificationUri, string message, Instant expiresAt)
    {
        UserCode = userCode;
        VerificationUri = verificationUri;
        Message = message;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the code the user enters on <see cref="VerificationUri"/>.</summary>
    public string UserCode { get; }

    /// <summary>Gets the page where the user enters the code, such as <c>https://microsoft.com/devicelogin</c>.</summary>
    public Uri VerificationUri { get; }

    /// <summary>Gets Microsoft's instructions, with the URL and the code, to show as they are (Microsoft localizes them).</summary>
    public string Message { get; }

    /// <summary>Gets when the code stops working (15 minutes after it was issued, with Microsoft Entra).</summary>
    public Instant ExpiresAt { get; }
}
