namespace OutlookCalendarSync.Authentication;

/// <summary>One user's serialized MSAL cache during one operation.</summary>
internal sealed class UserTokenCache(byte[]? data)
{
    public byte[]? Data { get; set; } = data;

    public bool Changed { get; set; }
}
