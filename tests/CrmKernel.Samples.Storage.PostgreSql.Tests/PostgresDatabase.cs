using CrmKernel.Testing.Storage;
using Npgsql;
using Xunit;

namespace CrmKernel.Samples.Storage.PostgreSql.Tests;

/// <summary>
/// A database of its own for one test class (<c>CREATE DATABASE</c> with a unique name, dropped at the end), so classes
/// run in parallel and repeated runs never meet each other's data. Each store a test asks for gets a fresh schema in it
/// (its own <c>search_path</c>), so every test starts on empty tables, as the conformance kit requires.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly List<string> _schemas = [];

    public string Name { get; } = "crmk_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A connection string to the whole database (search path: public).</summary>
    public string ConnectionString => PostgresServer.ForDatabase(Name);

    public async Task InitializeAsync()
    {
        await using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", admin);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(PostgresServer.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A connection string to a new, empty schema of this database.</summary>
    public async Task<string> NewSchemaAsync()
    {
        var schema = "s_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync($"CREATE SCHEMA {schema}");
        lock (_schemas)
        {
            _schemas.Add(schema);
        }

        return PostgresServer.ForDatabase(Name, schema);
    }

    /// <summary>A store over a new, empty schema, every statement it sends checked by the tenant-routing checker on dispose.</summary>
    public async Task<ObservedStore> NewStoreAsync()
    {
        var store = new PostgreSqlCrmStore(await NewSchemaAsync());
        return new ObservedStore(store);
    }

    /// <summary>Fresh stores for one conformance-kit test; disposing them fails the test if any statement was not tenant-routable.</summary>
    /// <param name="created">Told the new schema's connection string, e.g. to open more stores on it with <see cref="OpenStores"/>.</param>
    public async ValueTask<CrmStores> CreateStoresAsync(Action<string>? created = null)
    {
        var schema = await NewSchemaAsync();
        created?.Invoke(schema);
        return OpenStores(schema);
    }

    /// <summary>Another store on an existing schema (its own connection pool use), checked for routable statements on dispose.</summary>
    public static CrmStores OpenStores(string schemaConnectionString)
    {
        var observed = new ObservedStore(new PostgreSqlCrmStore(schemaConnectionString));
        var store = observed.Store;
        return new CrmStores(store, store, async () =>
        {
            await store.DisposeAsync();
            observed.AssertEveryStatementRoutable();
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
        };
    }

    public async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public Task<int> ExecuteAsync(string sql) => ExecuteAsync(ConnectionString, sql);

    public static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A store whose statements are all recorded, to be checked by <see cref="TenantRouting"/>.</summary>
public sealed class ObservedStore : IAsyncDisposable
{
    private readonly List<string> _statements = [];

    internal ObservedStore(PostgreSqlCrmStore store)
    {
        Store = store;
        store.Database.StatementObserver = sql =>
        {
            lock (_statements)
            {
                _statements.Add(sql);
            }
        };
    }

    public PostgreSqlCrmStore Store { get; }

    public IReadOnlyList<string> Statements
    {
        get
        {
            lock (_statements)
            {
                return [.. _statements];
            }
        }
    }

    /// <summary>Forgets the statements seen so far, so a test can look at what one call sends.</summary>
    public void ClearStatements()
    {
        lock (_statements)
        {
            _statements.Clear();
        }
    }

    /// <summary>Throws naming every statement that a tenant-distributed (Citus) database could not route to one shard.</summary>
    public void AssertEveryStatementRoutable()
    {
        var violations = Statements.Distinct().Select(s => (Sql: s, Problem: TenantRouting.Check(s))).Where(v => v.Problem is not null).ToList();
        if (violations.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("Statements that are not single-tenant routable:\n" + string.Join("\n", violations.Select(v => $"- {v.Problem}: {v.Sql}")));
        }
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
