using CrmKernel.Testing.Storage;

namespace CrmKernel.Samples.Storage.Sqlite.Tests;

/// <summary>The SQLite store passes the customer store conformance kit, each test on a fresh database file.</summary>
public sealed class SqliteCustomerStoreConformanceTests : CustomerStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => TempDatabase.CreateStoresAsync();
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
