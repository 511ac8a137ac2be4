using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ITouchpointScanStore"/>: inherit it and return stores whose
/// <see cref="CrmStores.Touchpoints"/> implements the capability. Covers every touchpoint exactly once as a row equal to
/// <see cref="TouchpointScanRow.From"/> of it, grouping by customer and timeline order within a group, non-empty
/// batches, the time bound, only the customers asked for, tenant isolation, cancellation and bad arguments.
/// </summary>
public abstract class TouchpointScanStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The store under test, as its scan capability.</summary>
    protected static ITouchpointScanStore ScanStore(CrmStores stores)
    {
        Preconditions.NotNull(stores);
        return Assert.IsAssignableFrom<ITouchpointScanStore>(stores.Touchpoints);
    }

    /// <summary>Generated touchpoints of the customers, appended to the tenant.</summary>
    protected async Task<Touchpoint[]> AppendGeneratedAsync(CrmStores stores, TenantId tenant, IReadOnlyList<CustomerId> customers, int count)
    {
        Preconditions.NotNull(stores);
        var touchpoints = CrmGenerators.NewTouchpointFor(customers).Sample(size: 20, numberOfSamples: count).Select(d => Touchpoint.Create(tenant, TouchpointId.New(), Clock.GetCurrentInstant(), d)).ToArray();
        var result = await stores.Touchpoints!.AppendAsync(tenant, touchpoints, default);
        Assert.Equal(touchpoints.Length, result.Appended);
        return touchpoints;
    }

    /// <summary>
    /// Every touchpoint of the customers asked for comes exactly once, as the row of its every scanned field; each
    /// customer's rows are contiguous and in timeline order; unknown and repeated ids add nothing.
    /// </summary>
    [Fact]
    public virtual async Task Scan_YieldsEveryTouchpointOnce_GroupedByCustomer_InTimelineOrder()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        CustomerId[] customers = [CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New()];
        var appended = await AppendGeneratedAsync(stores, tenant, customers, 150);

        var scanned = await ReadAsync(ScanStore(stores), tenant, [customers[3], .. customers, CustomerId.New(), customers[0]], null);

        AssertGroupedAs(appended, scanned);
    }

    /// <summary>A customer with more touchpoints than fit one batch still comes contiguously and complete.</summary>
    [Fact]
    public virtual async Task Scan_LargeCustomers_StayContiguousAcrossBatches()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        CustomerId[] customers = [CustomerId.New(), CustomerId.New(), CustomerId.New()];
        var appended = await AppendGeneratedAsync(stores, tenant, customers, 6_000);

        var scanned = await ReadAsync(ScanStore(stores), tenant, customers, null);

        AssertGroupedAs(appended, scanned);
    }

    /// <summary>Only the customers asked for are read, and only touchpoints that occurred before the end.</summary>
    [Fact]
    public virtual async Task Scan_ReadsOnlyTheCustomersAskedFor_BeforeTheEnd()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        CustomerId[] customers = [CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New()];
        var appended = await AppendGeneratedAsync(stores, tenant, customers, 120);
        var asked = customers[1..3];
        var end = appended.Select(t => t.OccurredAt).Order().ElementAt(appended.Length / 2);

        var scanned = await ReadAsync(ScanStore(stores), tenant, asked, end);

        Assert.NotEmpty(scanned);
        AssertGroupedAs(appended.Where(t => asked.Contains(t.CustomerId) && t.OccurredAt < end).ToArray(), scanned);
        Assert.Empty(await ReadAsync(ScanStore(stores), tenant, asked, appended.Min(t => t.OccurredAt)));
    }

    /// <summary>Another tenant's touchpoints of the same customer ids are never read.</summary>
    [Fact]
    public virtual async Task Scan_Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var a = NewTenant();
        var b = NewTenant();
        var customer = CustomerId.New();
        var ofA = await AppendGeneratedAsync(stores, a, [customer], 10);
        var ofB = await AppendGeneratedAsync(stores, b, [customer], 3);

        AssertGroupedAs(ofA, await ReadAsync(ScanStore(stores), a, [customer], null));
        AssertGroupedAs(ofB, await ReadAsync(ScanStore(stores), b, [customer], null));
        Assert.Empty(await ReadAsync(ScanStore(stores), NewTenant(), [customer], null));
    }

    /// <summary>A cancelled token stops the scan with <see cref="OperationCanceledException"/>.</summary>
    [Fact]
    public virtual async Task Scan_HonoursCancellation()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = CustomerId.New();
        await AppendGeneratedAsync(stores, tenant, [customer], 5);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in ScanStore(stores).StreamRowsByCustomerAsync(tenant, [customer], null, cancelled.Token))
            {
                Assert.Fail("A cancelled scan yielded a batch.");
            }
        });
    }

    /// <summary>A default tenant or customer id, a null list, no ids or too many are argument errors, thrown when called.</summary>
    [Fact]
    public virtual async Task Scan_BadArguments_AreRejectedWhenCalled()
    {
        await using var stores = await CreateStoresAsync();
        var store = ScanStore(stores);
        var tenant = NewTenant();

        Assert.ThrowsAny<ArgumentException>(() => store.StreamRowsByCustomerAsync(default, [CustomerId.New()], null, default));
        Assert.Throws<ArgumentNullException>(() => store.StreamRowsByCustomerAsync(tenant, null!, null, default));
        Assert.ThrowsAny<ArgumentException>(() => store.StreamRowsByCustomerAsync(tenant, [], null, default));
        Assert.ThrowsAny<ArgumentException>(() => store.StreamRowsByCustomerAsync(tenant, [CustomerId.New(), default], null, default));
        Assert.ThrowsAny<ArgumentException>(() => store.StreamRowsByCustomerAsync(tenant, [.. Enumerable.Range(0, ITouchpointScanStore.MaxCustomers + 1).Select(_ => CustomerId.New())], null, default));
        Assert.Empty(await ReadAsync(store, tenant, [.. Enumerable.Range(0, ITouchpointScanStore.MaxCustomers).Select(_ => CustomerId.New())], null));
    }

    /// <summary>Reads a whole scan, copying each batch (a store may reuse a batch's memory); fails on an empty batch.</summary>
    protected static async Task<List<TouchpointScanRow>> ReadAsync(ITouchpointScanStore store, TenantId tenant, IReadOnlyCollection<CustomerId> customers, Instant? to)
    {
        Preconditions.NotNull(store);
        var list = new List<TouchpointScanRow>();
        await foreach (var batch in store.StreamRowsByCustomerAsync(tenant, customers, to, default))
        {
            Assert.False(batch.IsEmpty, "The scan yielded an empty batch.");
            list.AddRange(batch.Span);
        }

        return list;
    }

    /// <summary>
    /// Asserts that <paramref name="scanned"/> holds exactly the rows of <paramref name="expected"/>: each customer's
    /// contiguous and equal, row by row, to its touchpoints in timeline order.
    /// </summary>
    protected static void AssertGroupedAs(IReadOnlyCollection<Touchpoint> expected, IReadOnlyList<TouchpointScanRow> scanned)
    {
        Preconditions.NotNull(expected);
        Preconditions.NotNull(scanned);
        var runs = new Dictionary<CustomerId, List<TouchpointScanRow>>();
        for (var i = 0; i < scanned.Count; i++)
        {
            var customer = scanned[i].CustomerId;
            if (i == 0 || customer != scanned[i - 1].CustomerId)
            {
                Assert.True(runs.TryAdd(customer, []), $"Customer {customer}'s rows are not contiguous.");
            }

            runs[customer].Add(scanned[i]);
        }

        var byCustomer = expected.GroupBy(t => t.CustomerId).ToDictionary(g => g.Key, g => g.OrderBy(t => t.Position).Select(TouchpointScanRow.From).ToList());
        Assert.Equal(byCustomer.Keys.Order(), runs.Keys.Order());
        foreach (var (customer, rows) in byCustomer)
        {
            Assert.Equal(rows, runs[customer]);
        }
    }
}
