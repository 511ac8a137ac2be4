using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>The evaluator's two read paths (the store's scan capability and the timeline fallback) agree figure for figure.</summary>
public sealed class ScanPathTests
{
    [Fact]
    public async Task ScanCapability_AndTimelineFallback_GiveTheSameFigures()
    {
        var world = await MetricWorld.CreateAsync();
        var request = new MetricEvaluationRequest(MetricWorld.January, DateTimeZone.Utc, Currency.GBP);
        var hierarchy = StandardMetrics.CreateHierarchy();
        Assert.IsAssignableFrom<ITouchpointScanStore>(world.Touchpoints);

        var viaScan = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, hierarchy, request);
        var timelineOnly = new TimelineOnlyStore(world.Touchpoints);
        var viaTimeline = await new MetricEvaluator(world.Customers, timelineOnly, MetricWorld.Rates, world.Inputs).EvaluateAsync(MetricWorld.Tenant, hierarchy, request);

        Assert.True(timelineOnly.TimelineReads > 0);
        Assert.Equal(viaTimeline.Figures.Values.OrderBy(v => v.Key), viaScan.Figures.Values.OrderBy(v => v.Key));
        Assert.Equal(viaTimeline.PreviousFigures!.Values.OrderBy(v => v.Key), viaScan.PreviousFigures!.Values.OrderBy(v => v.Key));
        Assert.Equal(
            viaTimeline.Figures.Channels.Select(c => (c.Channel, c.Contacts, c.CostedContacts, c.Cost, c.Revenue)),
            viaScan.Figures.Channels.Select(c => (c.Channel, c.Contacts, c.CostedContacts, c.Cost, c.Revenue)));
        Assert.Equal(206m, viaScan.Figures.Values[StandardFigures.PurchaseRevenue]);
    }

    [Fact]
    public async Task CustomerScanCapability_AndSnapshotFallback_GiveTheSameFigures()
    {
        var world = await MetricWorld.CreateAsync();
        var request = new MetricEvaluationRequest(MetricWorld.January, DateTimeZone.Utc, Currency.GBP);
        var hierarchy = StandardMetrics.CreateHierarchy();
        Assert.IsAssignableFrom<ICustomerScanStore>(world.Customers);

        var viaScan = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, hierarchy, request);
        var snapshotsOnly = new SnapshotOnlyStore(world.Customers);
        var viaSnapshots = await new MetricEvaluator(snapshotsOnly, world.Touchpoints, MetricWorld.Rates, world.Inputs).EvaluateAsync(MetricWorld.Tenant, hierarchy, request);

        Assert.True(snapshotsOnly.PageReads > 0);
        Assert.Equal(viaSnapshots.Figures.Values.OrderBy(v => v.Key), viaScan.Figures.Values.OrderBy(v => v.Key));
        Assert.Equal(viaSnapshots.PreviousFigures!.Values.OrderBy(v => v.Key), viaScan.PreviousFigures!.Values.OrderBy(v => v.Key));
        Assert.Equal(206m, viaSnapshots.Figures.Values[StandardFigures.PurchaseRevenue]);
    }

    /// <summary>Hides the customer scan capability, counting snapshot page reads.</summary>
    private sealed class SnapshotOnlyStore(ICustomerStore inner) : ICustomerStore
    {
        public int PageReads { get; private set; }

        public ValueTask<global::CrmKernel.Customers.CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, customerId, cancellationToken);

        public ValueTask<global::CrmKernel.Customers.CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken) => inner.FindByExternalIdentifierAsync(tenantId, identifier, cancellationToken);

        public ValueTask<IReadOnlyList<global::CrmKernel.Customers.CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, global::CrmKernel.ContactPoints.ContactPoint contactPoint, CancellationToken cancellationToken) => inner.ListByContactPointAsync(tenantId, contactPoint, cancellationToken);

        public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => inner.CountAsync(tenantId, cancellationToken);

        public ValueTask<IReadOnlyList<global::CrmKernel.Customers.CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken)
        {
            PageReads++;
            return inner.PageAsync(tenantId, after, limit, cancellationToken);
        }

        public ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken) => inner.CommitAsync(commit, cancellationToken);
    }

    [Fact]
    public async Task AScanThatBreaksTheGroupingContract_IsReported()
    {
        var world = await MetricWorld.CreateAsync();
        var evaluator = new MetricEvaluator(world.Customers, new InterleavingStore(world.Touchpoints), MetricWorld.Rates, world.Inputs);

        var error = await Assert.ThrowsAsync<InvalidStoredStateException>(async () => await evaluator.EvaluateAsync(MetricWorld.Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(MetricWorld.January, DateTimeZone.Utc, Currency.GBP)));
        Assert.Contains("contiguously", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Hides the scan capability, counting timeline reads.</summary>
    private sealed class TimelineOnlyStore(ITouchpointStore inner) : ITouchpointStore
    {
        public int TimelineReads { get; private set; }

        public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken) => inner.AppendAsync(tenantId, touchpoints, cancellationToken);

        public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, touchpointId, cancellationToken);

        public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken) => inner.FindBySourceAsync(tenantId, source, cancellationToken);

        public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => inner.CountAsync(tenantId, cancellationToken);

        public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
        {
            TimelineReads++;
            return inner.PageTimelineAsync(tenantId, filter, after, limit, cancellationToken);
        }
    }

    /// <summary>A broken scan: yields the touchpoints in time order across customers, so one customer's come back after another's.</summary>
    private sealed class InterleavingStore(ITouchpointStore inner) : ITouchpointStore, ITouchpointScanStore
    {
        public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken) => inner.AppendAsync(tenantId, touchpoints, cancellationToken);

        public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, touchpointId, cancellationToken);

        public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken) => inner.FindBySourceAsync(tenantId, source, cancellationToken);

        public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => inner.CountAsync(tenantId, cancellationToken);

        public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
            => inner.PageTimelineAsync(tenantId, filter, after, limit, cancellationToken);

        public async IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> StreamRowsByCustomerAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, Instant? to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var page = await inner.PageTimelineAsync(tenantId, new TimelineFilter(customerIds, to: to), null, 10_000, cancellationToken);
            yield return page.Select(TouchpointScanRow.From).ToArray();
        }
    }
}
