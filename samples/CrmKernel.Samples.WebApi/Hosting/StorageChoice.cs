using CrmKernel.Storage;

namespace CrmKernel.Samples.WebApi.Hosting;

/// <summary>
/// Which store the sample runs on: PostgreSQL when <c>Storage:PostgreSql</c> holds a connection string, otherwise the
/// embedded SQLite file named by <c>Storage:Sqlite</c> (a connection string or a file path), by default
/// <c>CrmKernel/webapi.db</c> in the user's local data folder.
/// </summary>
internal sealed class StorageChoice
{
    private StorageChoice(string kind, string connectionString, string description)
    {
        Kind = kind;
        ConnectionString = connectionString;
        Description = description;
    }

    public string Kind { get; }

    public string ConnectionString { get; }

    /// <summary>Where the data lives, without credentials (for the start-up log).</summary>
    public string Description { get; }

    public static StorageChoice From(IConfiguration configuration, IHostEnvironment environment)
    {
        var postgres = configuration["Storage:PostgreSql"];
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            var target = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            return new StorageChoice("PostgreSql", postgres, $"PostgreSQL {target.Host}:{target.Port}/{target.Database}");
        }

        var sqlite = configuration["Storage:Sqlite"];
        if (string.IsNullOrWhiteSpace(sqlite))
        {
            var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "CrmKernel");
            sqlite = Path.Combine(folder, "webapi.db");
        }

        if (!sqlite.Contains('=', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(sqlite, environment.ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            sqlite = $"Data Source={path}";
        }

        return new StorageChoice("Sqlite", sqlite, $"SQLite {new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(sqlite).DataSource}");
    }

    public void Apply(CrmKernelBuilder kernel)
    {
        if (Kind == "PostgreSql")
        {
            kernel.UsePostgreSql(ConnectionString);
        }
        else
        {
            kernel.UseSqlite(ConnectionString);
        }
    }
}
