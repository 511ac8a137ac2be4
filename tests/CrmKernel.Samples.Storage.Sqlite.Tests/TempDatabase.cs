using CrmKernel.Testing.Storage;
using Microsoft.Data.Sqlite;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>A database file in its own temporary folder, deleted with the folder when the test is done.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "crmkernel-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        FilePath = Path.Combine(Folder, "crm.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath }.ToString();
    }

    public string Folder { get; }

    public string FilePath { get; }

    public string ConnectionString { get; }

    /// <summary>Fresh stores over a new file, for the conformance kit; disposing them closes the store and deletes the file.</summary>
    /// <param name="created">Told the new file's connection string, e.g. to open more stores on it with <see cref="OpenStores"/>.</param>
    public static ValueTask<CrmStores> CreateStoresAsync(Action<string>? created = null)
    {
        var database = new TempDatabase();
        created?.Invoke(database.ConnectionString);
        var store = new SqliteCrmStore(database.ConnectionString);
        return ValueTask.FromResult(new CrmStores(store, store, async () =>
        {
            await store.DisposeAsync();
            database.Dispose();
        })
        {
            Touchpoints = store.Touchpoints,
            Relationships = store.Relationships,
            CustomerTouchpoints = store,
            Opportunities = store.Sales,
            SalesPipelines = store.Sales,
            Cases = store.Cases,
            Segments = store.Segments,
            PredictionMarkets = store.PredictionMarkets,
            Ideas = store.Ideas,
            Erasure = store,
            PendingDispatches = store.PendingDispatches,
            Merges = store.Merges,
        });
    }

    /// <summary>Another store (its own connections) on an existing file; disposing it closes the store and keeps the file.</summary>
    public static CrmStores OpenStores(string connectionString)
    {
        var store = new SqliteCrmStore(connectionString);
        return new CrmStores(store, store, store.DisposeAsync)
        {
            Touchpoints = store.Touchpoints,
            Relationships = store.Relationships,
            CustomerTouchpoints = store,
            Opportunities = store.Sales,
            SalesPipelines = store.Sales,
            Cases = store.Cases,
            Segments = store.Segments,
            PredictionMarkets = store.PredictionMarkets,
            Ideas = store.Ideas,
            Erasure = store,
            PendingDispatches = store.PendingDispatches,
            Merges = store.Merges,
        };
    }

    /// <summary>Opens a plain connection to the file, as a DBA with a SQLite shell would.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs SQL on a plain connection and returns the first column of the first row.</summary>
    public object? Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs SQL on a plain connection and returns how many rows it changed.</summary>
    public int Execute(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        // Pooled connections keep the file open; close them before deleting it (required on Windows).
        SqliteConnection.ClearAllPools();
        // A failure here means the store left a connection open: that is a bug, not something to hide.
        Directory.Delete(Folder, recursive: true);
    }
}
