using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Privacy;
using CrmKernel.Services.Identity;
using CrmKernel.Storage;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ICustomerScanStore"/>: inherit it and return stores whose
/// <see cref="CrmStores.Customers"/> implements the capability (and, for the erasure and merge scenarios,
/// <see cref="CrmStores.Erasure"/> and <see cref="CrmStores.Merges"/>). Covers that every page holds the customers of
/// <see cref="ICustomerStore.PageAsync"/> with the same arguments, in the same order, each row equal to
/// <see cref="CustomerScanRow.From"/> of its snapshot (generated customers with contact points, identifiers, time zones
/// and lifecycle histories; an erased customer's shell; a merge's survivor, with the merged-away customer absent),
/// tenant isolation, cancellation and bad arguments.
/// </summary>
public abstract class CustomerScanStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The store under test, as its scan capability.</summary>
    protected static ICustomerScanStore ScanStore(CrmStores stores)
    {
        Preconditions.NotNull(stores);
        return Assert.IsAssignableFrom<ICustomerScanStore>(stores.Customers);
    }

    /// <summary>
    /// Asserts that keyset pages of <paramref name="pageSize"/> read through the scan equal those of
    /// <see cref="ICustomerStore.PageAsync"/>, row by row as <see cref="CustomerScanRow.From"/> of each snapshot; returns the rows.
    /// </summary>
    protected static async Task<List<CustomerScanRow>> AssertScanMatchesSnapshotsAsync(CrmStores stores, TenantId tenant, int pageSize)
    {
        Preconditions.NotNull(stores);
        var rows = new List<CustomerScanRow>();
        CustomerId? after = null;
        while (true)
        {
            var snapshots = await stores.Customers.PageAsync(tenant, after, pageSize, default);
            var page = await ScanStore(stores).PageRowsAsync(tenant, after, pageSize, default);
            Assert.Equal(snapshots.Select(s => s.Id), page.Select(r => r.Id));
            for (var i = 0; i < page.Count; i++)
            {
                Assert.Equal(CustomerScanRow.From(snapshots[i]), page[i]);
            }

            rows.AddRange(page);
            if (page.Count < pageSize)
            {
                return rows;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>
    /// Generated customers (every field exercised, lifecycle walks included) scan as the rows of their snapshots, page by
    /// page in id order; the completeness flags and lifecycle histories are not all alike, so the comparison is not vacuous.
    /// </summary>
    [Fact]
    public virtual async Task Scan_RowsEqualTheSnapshots_PageByPage()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var customers = GeneratedCustomers(tenant, 60);
        foreach (var customer in customers)
        {
            await repository.SaveAsync(customer);
        }

        var plain = Customer.Register(tenant, new PersonProfile("Plain", null), Clock);
        await repository.SaveAsync(plain);

        var rows = await AssertScanMatchesSnapshotsAsync(stores, tenant, 7);

        Assert.Equal(customers.Select(c => c.Id).Append(plain.Id).Order(), rows.Select(r => r.Id));
        Assert.Contains(rows, r => r.StageEntries.Length > 1);
        Assert.Contains(rows, r => r.StageEntries.IsEmpty);
        Assert.Contains(rows, r => r.HasContactPoint && r.HasExternalIdentifier && r.HasHomeTimeZone);
        Assert.Contains(rows, r => !r.HasContactPoint && !r.HasExternalIdentifier && !r.HasHomeTimeZone);
        Assert.Equal(rows, await AssertScanMatchesSnapshotsAsync(stores, tenant, 1_000));
    }

    /// <summary>
    /// A customer saved again after a scan is scanned as its new snapshot (a store that keeps rows between scans must drop
    /// a changed customer's row), and nobody else's row changes.
    /// </summary>
    [Fact]
    public virtual async Task Scan_CustomerSavedAfterAScan_IsTheRowOfItsNewSnapshot()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var plain = Customer.Register(tenant, new PersonProfile("Plain", null), Clock);
        await repository.SaveAsync(plain);
        foreach (var customer in GeneratedCustomers(tenant, 5))
        {
            await repository.SaveAsync(customer);
        }

        var before = await AssertScanMatchesSnapshotsAsync(stores, tenant, 3);
        var changed = await repository.GetAsync(tenant, plain.Id);
        changed.AddContactPoint(EmailAddress.Parse($"plain{Guid.NewGuid():N}@kit.example"));
        changed.AddExternalIdentifier(new ExternalIdentifier("kit", Guid.NewGuid().ToString("N")));
        await repository.SaveAsync(changed);

        var after = await AssertScanMatchesSnapshotsAsync(stores, tenant, 3);

        Assert.Equal(before.Where(r => r.Id != plain.Id), after.Where(r => r.Id != plain.Id));
        Assert.False(Assert.Single(before, r => r.Id == plain.Id).HasContactPoint);
        var row = Assert.Single(after, r => r.Id == plain.Id);
        Assert.True(row.HasContactPoint);
        Assert.True(row.HasExternalIdentifier);
    }

    /// <summary>
    /// Writes between two pages of one scan: the page already read keeps the rows it was read with (a store that hands out
    /// pages of rows it keeps must never change them afterwards), and the pages after the cursor are the customers' rows as
    /// they are now: the changed customer's new snapshot, and a customer registered meanwhile when its id sorts after the cursor.
    /// </summary>
    [Fact]
    public virtual async Task Scan_WritesBetweenPages_LeaveThePageReadUnchanged_AndShowInThePagesAfterTheCursor()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var plain = new List<Customer>();
        for (var i = 0; i < 8; i++)
        {
            var customer = Customer.Register(tenant, new PersonProfile("Plain", null), Clock);
            await repository.SaveAsync(customer);
            plain.Add(customer);
        }

        var ids = plain.Select(c => c.Id).Order().ToList();
        var first = await ScanStore(stores).PageRowsAsync(tenant, null, 4, default);
        var firstRows = first.ToList();
        Assert.Equal(ids.Take(4), firstRows.Select(r => r.Id));
        Assert.All(firstRows, r => Assert.False(r.HasContactPoint));

        foreach (var id in new[] { ids[1], ids[6] })
        {
            var changed = await repository.GetAsync(tenant, id);
            changed.AddContactPoint(EmailAddress.Parse($"plain{Guid.NewGuid():N}@kit.example"));
            await repository.SaveAsync(changed);
        }

        var registered = Customer.Register(tenant, new PersonProfile("Late", null), Clock);
        await repository.SaveAsync(registered);

        Assert.Equal(firstRows, first.ToList());
        Assert.Equal(firstRows, Enumerable.Range(0, first.Count).Select(i => first[i]));
        var rest = new List<CustomerScanRow>();
        var after = firstRows[^1].Id;
        while (await ScanStore(stores).PageRowsAsync(tenant, after, 3, default) is { Count: > 0 } page)
        {
            rest.AddRange(page);
            after = page[^1].Id;
        }

        var expected = ids.Skip(4).Concat(registered.Id.CompareTo(ids[3]) > 0 ? [registered.Id] : []).Order().ToList();
        Assert.Equal(expected, rest.Select(r => r.Id));
        for (var i = 0; i < rest.Count; i++)
        {
            Assert.Equal(CustomerScanRow.From((await stores.Customers.FindAsync(tenant, rest[i].Id, default))!), rest[i]);
        }

        Assert.True(Assert.Single(rest, r => r.Id == ids[6]).HasContactPoint);
        Assert.True(Assert.Single(await AssertScanMatchesSnapshotsAsync(stores, tenant, 5), r => r.Id == ids[1]).HasContactPoint);
    }

    /// <summary>An erased customer's shell is scanned as its (erased) snapshot says, and nobody else's row changes.</summary>
    [Fact]
    public virtual async Task Scan_ErasedShell_IsTheRowOfItsSnapshot()
    {
        await using var stores = await CreateStoresAsync();
        var erasure = stores.Erasure ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Erasure for the customer scan kit.");
        var tenant = NewTenant();
        var repository = Repository(stores);
        var customers = GeneratedCustomers(tenant, 6);
        foreach (var customer in customers)
        {
            await repository.SaveAsync(customer);
        }

        var before = await AssertScanMatchesSnapshotsAsync(stores, tenant, 1_000);
        var erased = customers[2].Id;
        var snapshot = await stores.Customers.FindAsync(tenant, erased, default);
        await erasure.EraseAsync(CustomerErasure.Create(snapshot!, Clock.GetCurrentInstant(), "kit:dpo", "ticket-1"), default);

        var after = await AssertScanMatchesSnapshotsAsync(stores, tenant, 1_000);

        Assert.Equal(before.Select(r => r.Id), after.Select(r => r.Id));
        Assert.Equal(before.Where(r => r.Id != erased), after.Where(r => r.Id != erased));
        var shell = Assert.Single(after, r => r.Id == erased);
        Assert.False(shell.HasContactPoint);
    }

    /// <summary>After a merge the merged-away customer is absent from the scan and the survivor's row is its merged snapshot's.</summary>
    [Fact]
    public virtual async Task Scan_MergedAwayCustomer_IsAbsent_SurvivorIsItsMergedSnapshot()
    {
        await using var stores = await CreateStoresAsync();
        var merges = stores.Merges ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Merges for the customer scan kit.");
        var tenant = NewTenant();
        var repository = Repository(stores);
        var customers = GeneratedCustomers(tenant, 5);
        var survivor = NewCustomer(tenant);
        var merged = NewCustomer(tenant);
        foreach (var customer in customers.Append(survivor).Append(merged))
        {
            await repository.SaveAsync(customer);
        }

        Assert.Contains(await AssertScanMatchesSnapshotsAsync(stores, tenant, 2), r => r.Id == merged.Id);
        await new CustomerMergeService(merges, Clock).MergeAsync(tenant, survivor.Id, merged.Id);

        var rows = await AssertScanMatchesSnapshotsAsync(stores, tenant, 2);

        Assert.DoesNotContain(rows, r => r.Id == merged.Id);
        Assert.Equal(customers.Select(c => c.Id).Append(survivor.Id).Order(), rows.Select(r => r.Id));
    }

    /// <summary>Another tenant's customers are never read.</summary>
    [Fact]
    public virtual async Task Scan_Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var a = NewTenant();
        var b = NewTenant();
        await Repository(stores).SaveAsync(NewCustomer(a));
        await Repository(stores).SaveAsync(NewCustomer(b));
        await Repository(stores).SaveAsync(NewCustomer(b));

        Assert.Single(await AssertScanMatchesSnapshotsAsync(stores, a, 10));
        Assert.Equal(2, (await AssertScanMatchesSnapshotsAsync(stores, b, 10)).Count);
        Assert.Empty(await ScanStore(stores).PageRowsAsync(NewTenant(), null, 10, default));
    }

    /// <summary>A cancelled token throws <see cref="OperationCanceledException"/>.</summary>
    [Fact]
    public virtual async Task Scan_HonoursCancellation()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        await Repository(stores).SaveAsync(NewCustomer(tenant));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ScanStore(stores).PageRowsAsync(tenant, null, 10, cancelled.Token));
    }

    /// <summary>A default tenant, or a limit outside 1 to 10,000, is an argument error (the limit's excess <c>CRM-INPUT-001</c>).</summary>
    [Fact]
    public virtual async Task Scan_BadArguments_AreRejected()
    {
        await using var stores = await CreateStoresAsync();
        var store = ScanStore(stores);
        var tenant = NewTenant();

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.PageRowsAsync(default, null, 10, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.PageRowsAsync(tenant, null, 0, default));
        await Assert.ThrowsAsync<InputLimitExceededException>(async () => await store.PageRowsAsync(tenant, null, StoreLimits.MaxPageSize + 1, default));
        Assert.Empty(await store.PageRowsAsync(tenant, null, StoreLimits.MaxPageSize, default));
    }
}
