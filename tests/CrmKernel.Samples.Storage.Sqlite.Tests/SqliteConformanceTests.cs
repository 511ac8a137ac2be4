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

/// <summary>The merge kit on the SQLite store.</summary>
public sealed class SqliteCustomerMergeStoreConformanceTests : CustomerMergeStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
}
