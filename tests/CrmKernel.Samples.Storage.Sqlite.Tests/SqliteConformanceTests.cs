using CrmKernel.Testing.Storage;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>
/// The SQLite store passes the customer store conformance kit, each test on a fresh database file; the race scenario's
/// writers each have a store of their own on that file (several connections, serialised by SQLite's file lock).
/// </summary>
public sealed class SqliteCustomerStoreConformanceTests : CustomerStoreConformanceTests
{
    private string? _connectionString;

    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync(c => _connectionString = c);

    protected override ValueTask<CrmStores> OpenAnotherConnectionAsync(CrmStores stores)
        => ValueTask.FromResult(TempDatabase.OpenStores(_connectionString ?? throw new InvalidOperationException("No database was created.")));
}

/// <summary>The SQLite store passes the bulk import conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteCustomerBulkStoreConformanceTests : CustomerBulkStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The SQLite store passes the outbox conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteCrmOutboxConformanceTests : CrmOutboxConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The SQLite touchpoint store passes the touchpoint conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteTouchpointStoreConformanceTests : TouchpointStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The SQLite relationship store passes the relationship conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteRelationshipStoreConformanceTests : RelationshipStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The SQLite store passes the atomic touchpoint-and-customer (lifecycle) conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteCustomerTouchpointStoreConformanceTests : CustomerTouchpointStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The SQLite touchpoint store passes the scan-capability conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteTouchpointScanStoreConformanceTests : TouchpointScanStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The SQLite store passes the compact customer scan conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteCustomerScanStoreConformanceTests : CustomerScanStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The SQLite sales store passes the opportunity and pipeline conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteOpportunityStoreConformanceTests : OpportunityStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The SQLite case store passes the service case conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteCaseStoreConformanceTests : CaseStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The segment kit on the SQLite store.</summary>
public sealed class SqliteSegmentStoreConformanceTests : SegmentStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The prediction market kit on the SQLite store.</summary>
public sealed class SqlitePredictionMarketStoreConformanceTests : PredictionMarketStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The idea kit on the SQLite store.</summary>
public sealed class SqliteIdeaStoreConformanceTests : IdeaStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}

/// <summary>The erasure kit on the SQLite store, with a raw scan of every text column of every table for the markers.</summary>
public sealed class SqliteCustomerErasureStoreConformanceTests : CustomerErasureStoreConformanceTests
{
    private string? _connectionString;

    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync(c => _connectionString = c);

    protected override async ValueTask<string> ReadAllTextAsync(CrmStores stores, CrmKernel.Primitives.TenantId tenant, IReadOnlyList<CrmKernel.Primitives.CustomerId> customers)
    {
        var text = new System.Text.StringBuilder(await base.ReadAllTextAsync(stores, tenant, customers));
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_connectionString);
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Xunit.Assert.Contains("customer_erasures", tables);
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!reader.IsDBNull(i))
                    {
                        text.Append(table).Append('.').Append(reader.GetName(i)).Append('=').Append(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                    }
                }
            }
        }

        return text.ToString();
    }
}
/// <summary>The merge kit on the SQLite store.</summary>
public sealed class SqliteCustomerMergeStoreConformanceTests : CustomerMergeStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}
