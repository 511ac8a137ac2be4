using CrmKernel.Samples.Storage.PostgreSql;
using CrmKernel.Samples.Storage.Sqlite;
using CrmKernel.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmKernel.CrashHarness;

/// <summary>
/// One store under test, opened afresh: the library's stores (the public paths the writer uses and the checker reads
/// through) and raw SQL over the same tables, which the checker uses as an oracle independent of the adapter's reads.
/// </summary>
internal abstract class CrashStore : IAsyncDisposable
{
    public abstract string Name { get; }

    public abstract ICustomerStore Customers { get; }

    public abstract ICrmOutbox Outbox { get; }

    public abstract ITouchpointStore Touchpoints { get; }

    public abstract ICustomerTouchpointStore CustomerTouchpoints { get; }

    /// <summary>Opens the store at <paramref name="location"/> (a file path, or a PostgreSQL connection string).</summary>
    public static async ValueTask<CrashStore> OpenAsync(string kind, string location)
    {
        CrashStore store = kind switch
        {
            "sqlite" => new SqliteCrash(location),
            "postgres" => new PostgresCrash(location),
            _ => throw new ArgumentException($"unknown store '{kind}'", nameof(kind)),
        };
        await store.InitializeAsync();
        return store;
    }

    protected abstract ValueTask InitializeAsync();

    /// <summary>Every stored customer of the tenant: id and version, read with raw SQL.</summary>
    public abstract Task<Dictionary<Guid, long>> CustomerVersionsAsync(string tenant);

    /// <summary>Every outbox row of the tenant: aggregate id, aggregate version and event id, read with raw SQL.</summary>
    public abstract Task<List<(Guid Aggregate, long Version, Guid EventId)>> OutboxAsync(string tenant);

    /// <summary>The source keys of the tenant's touchpoints from one source system, read with raw SQL.</summary>
    public abstract Task<List<string>> SourceKeysAsync(string tenant, string source);

    /// <summary>The store's own integrity check; null when it passes, otherwise what it reported.</summary>
    public abstract Task<string?> IntegrityProblemAsync();

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteCrash : CrashStore
    {
        private readonly string _path;
        private readonly SqliteCrmStore _store;

        public SqliteCrash(string path)
        {
            _path = path;
            _store = new SqliteCrmStore($"Data Source={path}");
        }

        public override string Name => "sqlite";

        public override ICustomerStore Customers => _store;

        public override ICrmOutbox Outbox => _store;

        public override ITouchpointStore Touchpoints => _store.Touchpoints;

        public override ICustomerTouchpointStore CustomerTouchpoints => _store;

        protected override ValueTask InitializeAsync() => _store.InitializeAsync(CancellationToken.None);

        public override async Task<Dictionary<Guid, long>> CustomerVersionsAsync(string tenant)
        {
            var result = new Dictionary<Guid, long>();
            await foreach (var row in QueryAsync("SELECT id, version FROM customers WHERE tenant = $t", tenant))
            {
                result.Add(Guid.Parse(row.GetString(0)), row.GetInt64(1));
            }

            return result;
        }

        public override async Task<List<(Guid, long, Guid)>> OutboxAsync(string tenant)
        {
            var result = new List<(Guid, long, Guid)>();
            await foreach (var row in QueryAsync("SELECT aggregate_id, aggregate_version, event_id FROM outbox WHERE tenant = $t ORDER BY seq", tenant))
            {
                result.Add((Guid.Parse(row.GetString(0)), row.GetInt64(1), Guid.Parse(row.GetString(2))));
            }

            return result;
        }

        public override async Task<List<string>> SourceKeysAsync(string tenant, string source)
        {
            var result = new List<string>();
            await foreach (var row in QueryAsync("SELECT source_key FROM touchpoints WHERE tenant = $t AND source = $s", tenant, source))
            {
                result.Add(row.GetString(0));
            }

            return result;
        }

        public override async Task<string?> IntegrityProblemAsync()
        {
            var lines = new List<string>();
            await foreach (var row in QueryAsync("PRAGMA integrity_check"))
            {
                lines.Add(row.GetString(0));
            }

            await foreach (var row in QueryAsync("PRAGMA foreign_key_check"))
            {
                lines.Add($"foreign key: {row.GetString(0)}");
            }

            return lines is ["ok"] ? null : string.Join("; ", lines);
        }

        private async IAsyncEnumerable<SqliteDataReader> QueryAsync(string sql, params string[] values)
        {
            await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            if (values.Length > 0)
            {
                command.Parameters.AddWithValue("$t", values[0]);
            }

            if (values.Length > 1)
            {
                command.Parameters.AddWithValue("$s", values[1]);
            }

            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                yield return reader;
            }
        }

        public override async ValueTask DisposeAsync() => await _store.DisposeAsync();
    }

    private sealed class PostgresCrash : CrashStore
    {
        private readonly string _connectionString;
        private readonly PostgreSqlCrmStore _store;

        public PostgresCrash(string connectionString)
        {
            _connectionString = connectionString;
            _store = new PostgreSqlCrmStore(connectionString);
        }

        public override string Name => "postgres";

        public override ICustomerStore Customers => _store;

        public override ICrmOutbox Outbox => _store;

        public override ITouchpointStore Touchpoints => _store.Touchpoints;

        public override ICustomerTouchpointStore CustomerTouchpoints => _store;

        protected override ValueTask InitializeAsync() => _store.InitializeAsync(CancellationToken.None);

        public override async Task<Dictionary<Guid, long>> CustomerVersionsAsync(string tenant)
        {
            var result = new Dictionary<Guid, long>();
            await foreach (var row in QueryAsync("SELECT id, version FROM customers WHERE tenant_id = @t", tenant))
            {
                result.Add(row.GetGuid(0), row.GetInt64(1));
            }

            return result;
        }

        public override async Task<List<(Guid, long, Guid)>> OutboxAsync(string tenant)
        {
            var result = new List<(Guid, long, Guid)>();
            await foreach (var row in QueryAsync("SELECT aggregate_id, aggregate_version, event_id FROM outbox WHERE tenant_id = @t ORDER BY seq", tenant))
            {
                result.Add((Guid.Parse(row.GetString(0)), row.GetInt64(1), row.GetGuid(2)));
            }

            return result;
        }

        public override async Task<List<string>> SourceKeysAsync(string tenant, string source)
        {
            var result = new List<string>();
            await foreach (var row in QueryAsync("SELECT source_key FROM touchpoints WHERE tenant_id = @t AND source = @s", tenant, source))
            {
                result.Add(row.GetString(0));
            }

            return result;
        }

        /// <summary>PostgreSQL checks its own pages; what the harness can check is that the store opens (done) and answers.</summary>
        public override async Task<string?> IntegrityProblemAsync()
        {
            await foreach (var row in QueryAsync("SELECT count(*) FROM customers"))
            {
                _ = row.GetInt64(0);
            }

            return null;
        }

        private async IAsyncEnumerable<NpgsqlDataReader> QueryAsync(string sql, params string[] values)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            if (values.Length > 0)
            {
                command.Parameters.AddWithValue("t", values[0]);
            }

            if (values.Length > 1)
            {
                command.Parameters.AddWithValue("s", values[1]);
            }

            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                yield return reader;
            }
        }

        public override async ValueTask DisposeAsync() => await _store.DisposeAsync();
    }
}
