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
/// <see cref="CrmStores.Touchpoints"/> implements the capability. Covers every touchpoint exactly once, grouping by
/// customer and timeline order within a group, the time bound, only the customers asked for, tenant isolation,
/// cancellation and bad arguments.
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

    /// <summary>Every touchpoint of the customers asked for comes exactly once, each customer's contiguous and in timeline order; unknown and repeated ids add nothing.</summary>
    [Fact]
    public virtual async Task Stream_YieldsEveryTouchpointOnce_GroupedByCustomer_InTimelineOrder()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        CustomerId[] customers = [CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New()];
        var appended = await AppendGeneratedAsync(stores, tenant, customers, 150);

        var streamed = await ReadAsync(ScanStore(stores), tenant, [customers[3], .. customers, CustomerId.New(), customers[0]], null);

        Assert.Equal(appended.Select(t => t.Id).Order(), streamed.Select(t => t.Id).Order());
        AssertGrouped(streamed);
        var byId = appended.ToDictionary(t => t.Id);
        foreach (var touchpoint in streamed)
        {
            AssertSameContact(byId[touchpoint.Id], touchpoint);
        }
    }

    /// <summary>Only the customers asked for are read, and only touchpoints that occurred before the end.</summary>
    [Fact]
    public virtual async Task Stream_ReadsOnlyTheCustomersAskedFor_BeforeTheEnd()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        CustomerId[] customers = [CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New()];
        var appended = await AppendGeneratedAsync(stores, tenant, customers, 120);
        var asked = customers[1..3];
        var end = appended.Select(t => t.OccurredAt).Order().ElementAt(appended.Length / 2);

        var streamed = await ReadAsync(ScanStore(stores), tenant, asked, end);

        var expected = appended.Where(t => asked.Contains(t.CustomerId) && t.OccurredAt < end).Select(t => t.Id).Order();
        Assert.Equal(expected, streamed.Select(t => t.Id).Order());
        Assert.NotEmpty(streamed);
        AssertGrouped(streamed);
        Assert.Empty(await ReadAsync(ScanStore(stores), tenant, asked, appended.Min(t => t.OccurredAt)));
    }

    /// <summary>Another tenant's touchpoints of the same customer ids are never read.</summary>
    [Fact]
    public virtual async Task Stream_Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var a = NewTenant();
        var b = NewTenant();
        var customer = CustomerId.New();
        var ofA = await AppendGeneratedAsync(stores, a, [customer], 10);
        var ofB = await AppendGeneratedAsync(stores, b, [customer], 3);

        Assert.Equal(ofA.Select(t => t.Id).Order(), (await ReadAsync(ScanStore(stores), a, [customer], null)).Select(t => t.Id).Order());
        Assert.Equal(ofB.Select(t => t.Id).Order(), (await ReadAsync(ScanStore(stores), b, [customer], null)).Select(t => t.Id).Order());
        Assert.Empty(await ReadAsync(ScanStore(stores), NewTenant(), [customer], null));
    }

    /// <summary>A cancelled token stops the stream with <see cref="OperationCanceledException"/>.</summary>
    [Fact]
    public virtual async Task Stream_HonoursCancellation()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = CustomerId.New();
        await AppendGeneratedAsync(stores, tenant, [customer], 5);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in ScanStore(stores).StreamByCustomerAsync(tenant, [customer], null, cancelled.Token))
            {
                Assert.Fail("A cancelled stream yielded a touchpoint.");
            }
        });
    }

    /// <summary>A default tenant or customer id, a null list, no ids or too many are argument errors, thrown when called.</summary>
    [Fact]
    public virtual async Task Stream_BadArguments_AreRejectedWhenCalled()
    {
        await using var stores = await CreateStoresAsync();
        var store = ScanStore(stores);
        var tenant = NewTenant();

        Assert.ThrowsAny<ArgumentException>(() => store.StreamByCustomerAsync(default, [CustomerId.New()], null, default));
        Assert.Throws<ArgumentNullException>(() => store.StreamByCustomerAsync(tenant, null!, null, default));
        Assert.ThrowsAny<ArgumentException>(() => store.StreamByCustomerAsync(tenant, [], null, default));
        Assert.ThrowsAny<ArgumentException>(() => store.StreamByCustomerAsync(tenant, [CustomerId.New(), default], null, default));
        Assert.ThrowsAny<ArgumentException>(() => store.StreamByCustomerAsync(tenant, [.. Enumerable.Range(0, ITouchpointScanStore.MaxCustomers + 1).Select(_ => CustomerId.New())], null, default));
        Assert.Empty(await ReadAsync(store, tenant, [.. Enumerable.Range(0, ITouchpointScanStore.MaxCustomers).Select(_ => CustomerId.New())], null));
    }

    /// <summary>Reads a whole stream.</summary>
    protected static async Task<List<Touchpoint>> ReadAsync(ITouchpointScanStore store, TenantId tenant, IReadOnlyCollection<CustomerId> customers, Instant? to)
    {
        Preconditions.NotNull(store);
        var list = new List<Touchpoint>();
        await foreach (var touchpoint in store.StreamByCustomerAsync(tenant, customers, to, default))
        {
            list.Add(touchpoint);
        }

        return list;
    }

    /// <summary>Asserts that each customer's touchpoints are contiguous and in timeline order.</summary>
    protected static void AssertGrouped(IReadOnlyList<Touchpoint> streamed)
    {
        Preconditions.NotNull(streamed);
        var done = new HashSet<CustomerId>();
        for (var i = 0; i < streamed.Count; i++)
        {
            if (i > 0 && streamed[i].CustomerId == streamed[i - 1].CustomerId)
            {
                Assert.True(streamed[i - 1].Position < streamed[i].Position, $"Touchpoint {streamed[i].Id} is out of timeline order within its customer.");
            }
            else
            {
                Assert.True(done.Add(streamed[i].CustomerId), $"Customer {streamed[i].CustomerId}'s touchpoints are not contiguous.");
            }
        }
    }

    private static void AssertSameContact(Touchpoint expected, Touchpoint actual)
    {
        Assert.Equal(expected.CustomerId, actual.CustomerId);
        Assert.Equal(expected.OccurredAt, actual.OccurredAt);
        Assert.Equal(expected.Channel, actual.Channel);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Function, actual.Function);
        Assert.Equal(expected.Direction, actual.Direction);
        Assert.Equal(expected.Outcome, actual.Outcome);
        Assert.Equal(expected.Satisfaction, actual.Satisfaction);
        Assert.Equal(expected.Cost, actual.Cost);
        Assert.Equal(expected.Revenue, actual.Revenue);
        Assert.Equal(expected.Source, actual.Source);
    }
}
