using CrmKernel.Channels;
using CrmKernel.Testing.Channels;
using CrmKernel.Testing.Storage;
using Xunit;

namespace CrmKernel.Samples.Storage.PostgreSql.Tests;

// Each class runs one kit class on a real server: its own database (the fixture), a fresh schema per test, and every
// statement the store sends checked for single-tenant routing when the test disposes its stores.

/// <summary>The PostgreSQL store passes the customer store conformance kit.</summary>
public sealed class PostgreSqlCustomerStoreConformanceTests(PostgresDatabase database) : CustomerStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    private string? _schema;

    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync(c => _schema = c);

    // The race scenario's writers each get a store of their own on the same schema.
    protected override ValueTask<CrmStores> OpenAnotherConnectionAsync(CrmStores stores)
        => ValueTask.FromResult(PostgresDatabase.OpenStores(_schema ?? throw new InvalidOperationException("No schema was created.")));
}

/// <summary>The PostgreSQL store passes the bulk import conformance kit.</summary>
public sealed class PostgreSqlCustomerBulkStoreConformanceTests(PostgresDatabase database) : CustomerBulkStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL store passes the outbox conformance kit.</summary>
public sealed class PostgreSqlCrmOutboxConformanceTests(PostgresDatabase database) : CrmOutboxConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL touchpoint store passes the touchpoint conformance kit.</summary>
public sealed class PostgreSqlTouchpointStoreConformanceTests(PostgresDatabase database) : TouchpointStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL relationship store passes the relationship conformance kit.</summary>
public sealed class PostgreSqlRelationshipStoreConformanceTests(PostgresDatabase database) : RelationshipStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL sales store passes the opportunity and pipeline conformance kit.</summary>
public sealed class PostgreSqlOpportunityStoreConformanceTests(PostgresDatabase database) : OpportunityStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL case store passes the service case conformance kit.</summary>
public sealed class PostgreSqlCaseStoreConformanceTests(PostgresDatabase database) : CaseStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL store passes the segment conformance kit.</summary>
public sealed class PostgreSqlSegmentStoreConformanceTests(PostgresDatabase database) : SegmentStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

public sealed class PostgreSqlCustomerMergeStoreConformanceTests(PostgresDatabase database) : CustomerMergeStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL store passes the atomic touchpoint-and-customer (lifecycle) conformance kit.</summary>
public sealed class PostgreSqlCustomerTouchpointStoreConformanceTests(PostgresDatabase database) : CustomerTouchpointStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL touchpoint store passes the scan-capability conformance kit.</summary>
public sealed class PostgreSqlTouchpointScanStoreConformanceTests(PostgresDatabase database) : TouchpointScanStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL store passes the compact customer scan conformance kit.</summary>
public sealed class PostgreSqlCustomerScanStoreConformanceTests(PostgresDatabase database) : CustomerScanStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL pending-dispatch store passes the pending-dispatch conformance kit; statements are checked at the end of each test.</summary>
public sealed class PostgreSqlPendingDispatchStoreConformanceTests(PostgresDatabase database) : PendingDispatchStoreConformanceTests, IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly List<ObservedStore> _opened = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var observed in _opened)
        {
            await observed.DisposeAsync();
            observed.AssertEveryStatementRoutable();
        }
    }

    protected override async ValueTask<IPendingDispatchStore> CreateStoreAsync()
    {
        var observed = await database.NewStoreAsync();
        _opened.Add(observed);
        return observed.Store.PendingDispatches;
    }
}

/// <summary>The prediction market kit on the PostgreSQL store.</summary>
public sealed class PostgreSqlPredictionMarketStoreConformanceTests(PostgresDatabase database) : PredictionMarketStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The PostgreSQL store passes the idea conformance kit.</summary>
public sealed class PostgreSqlIdeaStoreConformanceTests(PostgresDatabase database) : IdeaStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync();
}

/// <summary>The erasure kit on the PostgreSQL store, with a raw scan of every column of every table of the test's schema for the markers.</summary>
public sealed class PostgreSqlCustomerErasureStoreConformanceTests(PostgresDatabase database) : CustomerErasureStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    private string? _connectionString;

    protected override ValueTask<CrmStores> CreateStoresAsync() => database.CreateStoresAsync(c => _connectionString = c);

    protected override async ValueTask<string> ReadAllTextAsync(CrmStores stores, CrmKernel.Primitives.TenantId tenant, IReadOnlyList<CrmKernel.Primitives.CustomerId> customers)
    {
        var text = new System.Text.StringBuilder(await base.ReadAllTextAsync(stores, tenant, customers));
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Xunit.Assert.Contains("customer_erasures", tables);
        foreach (var table in tables)
        {
            await using var select = new Npgsql.NpgsqlCommand($"SELECT * FROM \"{table}\"", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!await reader.IsDBNullAsync(i))
                    {
                        text.Append(table).Append('.').Append(reader.GetName(i)).Append('=').Append(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                    }
                }
            }
        }

        return text.ToString();
    }
}
