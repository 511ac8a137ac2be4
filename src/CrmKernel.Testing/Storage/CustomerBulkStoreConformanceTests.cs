using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Import;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for the optional <see cref="ICustomerBulkStore"/> capability. Inherit it only if your
/// customer store implements that interface; <see cref="StoreConformanceTests.CreateStoresAsync"/> must then
/// return such a store.
/// </summary>
public abstract class CustomerBulkStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The store under test, as its bulk capability.</summary>
    protected static ICustomerBulkStore Bulk(CrmStores stores)
    {
        Preconditions.NotNull(stores);
        return Assert.IsAssignableFrom<ICustomerBulkStore>(stores.Customers);
    }

    /// <summary>An import of more than <see cref="StoreLimits.MaxImportBatch"/> customers is refused with <c>CRM-INPUT-001</c> and stores nothing.</summary>
    [Fact]
    public virtual async Task ImportOverTheBatchLimit_IsRefusedWithTheInputLimitCode()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var commit = CustomerCommit.Create(NewCustomer(tenant));

        var e = await Assert.ThrowsAsync<InputLimitExceededException>(async () =>
            await Bulk(stores).ImportAsync(tenant, [.. Enumerable.Repeat(commit, StoreLimits.MaxImportBatch + 1)], default));

        Assert.Equal((CrmErrorCodes.InputLimitExceeded, "batch", StoreLimits.MaxImportBatch, StoreLimits.MaxImportBatch + 1), (e.ErrorCode, e.ParamName, e.Limit, e.Actual));
        Assert.Equal(0, await stores.Customers.CountAsync(tenant, default));
    }

    /// <summary>Importing the same batch twice stores it once and reports the second run as already present.</summary>
    [Fact]
    public virtual async Task Import_IsIdempotent()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customers = GeneratedCustomers(tenant, 40).DistinctBy(c => c.Id).ToArray();
        var batch = Unique(customers).Select(CustomerCommit.Create).ToArray();

        var first = await Bulk(stores).ImportAsync(tenant, batch, default);
        var second = await Bulk(stores).ImportAsync(tenant, batch, default);

        Assert.Equal(batch.Length, first.Inserted);
        Assert.Empty(first.AlreadyPresent);
        Assert.Empty(first.Rejected);
        Assert.Equal(0, second.Inserted);
        Assert.Equal(Enumerable.Range(0, batch.Length), second.AlreadyPresent);
        Assert.Equal(batch.Length, await stores.Customers.CountAsync(tenant, default));
        foreach (var commit in batch)
        {
            AssertSameState(commit.Customer, await stores.Customers.FindAsync(tenant, commit.Customer.Id, default));
        }
    }

    /// <summary>A customer whose identifier another holds is rejected with its position; every other one is kept.</summary>
    [Fact]
    public virtual async Task Import_RejectsConflicts_AndKeepsEveryGoodRow()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var holder = NewCustomer(tenant);
        holder.AddExternalIdentifier(new ExternalIdentifier("erp", "DUP"));
        var clash = NewCustomer(tenant);
        clash.AddExternalIdentifier(new ExternalIdentifier("erp", "DUP"));
        var good = NewCustomer(tenant);

        var result = await Bulk(stores).ImportAsync(tenant, [CustomerCommit.Create(holder), CustomerCommit.Create(clash), CustomerCommit.Create(good)], default);

        Assert.Equal(2, result.Inserted);
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(1, rejection.Index);
        Assert.Equal(clash.Id, rejection.CustomerId);
        Assert.Equal(CrmErrorCodes.ExternalIdentifierInUse, rejection.ErrorCode);
        Assert.Null(await stores.Customers.FindAsync(tenant, clash.Id, default));
        Assert.NotNull(await stores.Customers.FindAsync(tenant, good.Id, default));
    }

    /// <summary>Imported customers are found by identifier and contact point, and their events are in the outbox.</summary>
    [Fact]
    public virtual async Task Import_IndexesCustomers_AndRecordsTheirEvents()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant, "imported@kit.example");
        customer.AddExternalIdentifier(new ExternalIdentifier("legacy", "L-1"));
        var commit = CustomerCommit.Create(customer);

        await Bulk(stores).ImportAsync(tenant, [commit], default);

        Assert.Equal(customer.Id, (await stores.Customers.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("legacy", "L-1"), default))?.Id);
        Assert.Single(await stores.Customers.ListByContactPointAsync(tenant, customer.ContactPoints[0].Value, default));
        Assert.Equal(commit.Events.Select(e => e.EventId), (await stores.Outbox.ListPendingAsync(tenant, 100, default)).Select(e => e.EventId));
    }

    /// <summary>A batch holding an update, or a customer of another tenant, is refused whole.</summary>
    [Fact]
    public virtual async Task Import_OfNonInserts_IsRejected()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var other = NewCustomer(NewTenant());
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Bulk(stores).ImportAsync(tenant, [CustomerCommit.Create(other)], default));
        Assert.Equal(0, await stores.Customers.CountAsync(tenant, default));
    }

    /// <summary>The repository's import goes through the bulk path, is idempotent, and publishes only what it inserted.</summary>
    [Fact]
    public virtual async Task RepositoryImport_UsesTheBulkPath_AndIsIdempotent()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var publisher = new RecordingPublisher();
        var repository = Repository(stores, publisher);
        var customers = Enumerable.Range(0, 2_500).Select(_ => NewCustomer(tenant)).ToList();
        var copies = customers.Select(c => Customer.Rehydrate(c.ToSnapshot(), Clock)).ToList();

        var first = await repository.ImportAsync(tenant, customers);
        var published = publisher.Published.Count;

        Assert.Equal(2_500, first.Inserted);
        Assert.All(customers, c => Assert.Equal(1, c.Version));
        Assert.Equal(customers.Sum(c => 2), published);
        Assert.Equal(2_500, await stores.Customers.CountAsync(tenant, default));

        var again = customers.Select(c => Customer.Rehydrate(c.ToSnapshot(), Clock)).ToList();
        Assert.Empty(again.SelectMany(c => c.PendingEvents));
        Assert.Equal(2_500, copies.Count);
    }

    /// <summary>
    /// The kernel's <see cref="CustomerImporter"/> over the store: bad rows are reported by line, column and code and
    /// nothing of them is stored, good rows are stored with their contact points and tags, and importing the same rows
    /// again stores nothing and reports them as skipped.
    /// </summary>
    [Fact]
    public virtual async Task CustomerImporter_ReportsBadRows_StoresTheGoodOnes_AndARerunChangesNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var importer = new CustomerImporter(Repository(stores, new RecordingPublisher()), new TouchpointIngestion(stores.Touchpoints ?? new CrmKernel.Storage.InMemory.InMemoryTouchpointStore(), Clock), Clock);
        var mapping = new ImportMapping { SourceSystem = "kit", CustomerKeyColumn = "id", GivenNameColumn = "name", EmailColumn = "email", TagsColumn = "tags" };
        string[] header = ["id", "name", "email", "tags"];
        var rows = Enumerable.Range(0, 30)
            .Select(i => new ImportRow(i + 2, header, [$"K-{i}", $"Name {i}", i % 10 == 3 ? "not-an-email" : $"k{i}@example.com", i % 10 == 7 ? "!!" : "kit;import"]))
            .ToArray();

        var first = await importer.ImportAsync(tenant, mapping, Async(rows));
        var second = await importer.ImportAsync(tenant, mapping, Async(rows));

        Assert.Equal(
            [.. Enumerable.Range(0, 30).Where(i => i % 10 is 3 or 7).Select(i => ((long)i + 2, i % 10 == 3 ? "email" : "tags", i % 10 == 3 ? CrmErrorCodes.ImportInvalidEmail : CrmErrorCodes.ImportInvalidValue))],
            first.Errors.Select(e => (e.LineNumber, e.Column, e.ErrorCode)));
        Assert.Equal((24L, 0L, 6L, 24L), (first.Totals.RowsStored, first.Totals.RowsSkipped, first.Totals.RowsRejected, first.CustomersStored));
        Assert.Equal((0L, 24L, 6L, 0L), (second.Totals.RowsStored, second.Totals.RowsSkipped, second.Totals.RowsRejected, second.CustomersStored));
        Assert.Equal(24, await stores.Customers.CountAsync(tenant, default));
        var stored = await stores.Customers.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("kit", "K-1"), default);
        Assert.NotNull(stored);
        Assert.Equal(2, stored.Tags.Count);
        Assert.Null(await stores.Customers.FindByExternalIdentifierAsync(tenant, new ExternalIdentifier("kit", "K-3"), default));
    }

    private static async IAsyncEnumerable<ImportRow> Async(IEnumerable<ImportRow> rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private static IEnumerable<Customer> Unique(IEnumerable<Customer> customers)
    {
        var identifiers = new HashSet<ExternalIdentifier>();
        foreach (var customer in customers)
        {
            if (customer.ExternalIdentifiers.All(identifiers.Add))
            {
                yield return customer;
            }
        }
    }
}
