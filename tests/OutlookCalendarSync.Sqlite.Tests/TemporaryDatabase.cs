using Microsoft.Data.Sqlite;
using OutlookCalendarSync.Sqlite;

namespace OutlookCalendarSync.Sqlite.Tests;

/// <summary>A database file in a fresh temporary folder, deleted (with its WAL files) when disposed.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ocs-sqlite-tests", Guid.NewGuid().ToString("N"));

    public TemporaryDatabase()
    {
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, "calendar.db");
    }

    public string Path { get; }

    public SqliteStoreOptions Options => new() { DatabasePath = Path };

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
