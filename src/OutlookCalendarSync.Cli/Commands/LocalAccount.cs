using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OutlookCalendarSync.Authentication;
using OutlookCalendarSync.DependencyInjection;
using OutlookCalendarSync.Graph;
using OutlookCalendarSync.Cli.Configuration;
using OutlookCalendarSync.Engine;
using OutlookCalendarSync.Sqlite;

namespace OutlookCalendarSync.Cli.Commands;

/// <summary>The local SQLite calendar, sync state and token cache of one user, and a sync engine over them.</summary>
internal sealed class LocalAccount : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private LocalAccount(AccountSettings settings, CliContext context, Action<OutlookCalendarSyncBuilder> outlook)
    {
        Settings = settings;
        var options = new SqliteStoreOptions { DatabasePath = settings.DatabasePath };
        Calendar = new SqliteCalendarStore(options, context.Clock);
        State = new SqliteSyncStateStore(options, context.Clock);
        Tokens = new SqliteTokenStore(options);
        var services = new ServiceCollection();
        services.AddSingleton(context.Clock);

        // The sign-in logs through ILogger<T>; the tool prints what matters itself.
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>));
        outlook(services.AddOutlookCalendarSync()
            .UseCalendarStore(Calendar)
            .UseSyncStateStore(State)
            .UseTokenStore(Tokens));
        _services = services.BuildServiceProvider();
    }

    public AccountSettings Settings { get; }

    public SqliteCalendarStore Calendar { get; }

    public SqliteSyncStateStore State { get; }

    public SqliteTokenStore Tokens { get; }

    /// <summary>The Outlook calendar the engine syncs with (one that cannot be reached, for the local-only commands).</summary>
    public OutlookCalendarSync.Calendars.IOutlookCalendar Outlook => _services.GetRequiredService<OutlookCalendarSync.Calendars.IOutlookCalendar>();

    /// <summary>The sync engine; a Graph option that fails validation ends the command with the configuration exit code.</summary>
    public ISyncEngine Engine
    {
        get
        {
            try
            {
                _ = _services.GetService<IOptions<MicrosoftGraphOptions>>()?.Value;
                _ = _services.GetService<IOptions<MicrosoftAccountOptions>>()?.Value;
                return _services.GetRequiredService<ISyncEngine>();
            }
            catch (OptionsValidationException error)
            {
                throw new CliException(ExitCodes.ConfigurationMissing, string.Join(" ", error.Failures), error);
            }
        }
    }

    /// <summary>The Microsoft account sign-in, when the account was opened with <c>UseMicrosoftAccount</c>; else <see langword="null"/>.</summary>
    public IMicrosoftAccountAuthorization? Authorization
    {
        get
        {
            try
            {
                if (_services.GetService<IMicrosoftAccountAuthorization>() is not { } authorization)
                {
                    return null;
                }

                _ = _services.GetRequiredService<IOptions<MicrosoftAccountOptions>>().Value;
                return authorization;
            }
            catch (OptionsValidationException error)
            {
                throw new CliException(ExitCodes.ConfigurationMissing, string.Join(" ", error.Failures), error);
            }
        }
    }

    /// <summary>The public-client sign-ins, when the account was opened with <c>UseMicrosoftAccount</c>; else <see langword="null"/>.</summary>
    public IPublicClientSignIn? PublicClientSignIn
    {
        get
        {
            try
            {
                if (_services.GetService<IPublicClientSignIn>() is not { } signIn)
                {
                    return null;
                }

                _ = _services.GetRequiredService<IOptions<MicrosoftAccountOptions>>().Value;
                return signIn;
            }
            catch (OptionsValidationException error)
            {
                throw new CliException(ExitCodes.ConfigurationMissing, string.Join(" ", error.Failures), error);
            }
        }
    }

    /// <summary>Opens (and on first use creates) the database named by the settings, and reads it once so a file that cannot be used fails here.</summary>
    /// <exception cref="CliException">The settings are invalid, or the database cannot be created, opened or read.</exception>
    public static LocalAccount Open(AccountSettings settings, CliContext context, Action<OutlookCalendarSyncBuilder>? outlook = null)
    {
        settings.RequireLocal();
        string? folder = Path.GetDirectoryName(settings.DatabasePath);
        LocalAccount? account = null;
        try
        {
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            account = new LocalAccount(settings, context, outlook ?? RealOutlook.RegisterUnreachable);
            _ = account.Calendar.GetAll(settings.UserId);
            return account;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            account?._services.Dispose();
            throw new CliException(ExitCodes.FileError, $"Cannot open the local calendar '{settings.DatabasePath}' ({error.Message.TrimEnd('.')}). Pass --database with the path of a file you can write.", error);
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
