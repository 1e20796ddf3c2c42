using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace OutlookCalendarSync.Authentication;

/// <summary>
/// The Data Protection key ring in <see cref="MicrosoftAccountOptions.KeyRingDirectory"/>, for hosts without an
/// <see cref="IDataProtectionProvider"/> of their own. A singleton of the host's container, so the services behind it are
/// disposed with the host.
/// </summary>
internal sealed class FolderKeyRing : IDisposable
{
    private readonly ServiceProvider _services;

    public FolderKeyRing(string folder)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("OutlookCalendarSync").PersistKeysToFileSystem(new DirectoryInfo(folder));
        _services = services.BuildServiceProvider();
        Provider = _services.GetRequiredService<IDataProtectionProvider>();
    }

    public IDataProtectionProvider Provider { get; }

    public void Dispose() => _services.Dispose();
}
