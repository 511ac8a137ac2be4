using CrmKernel.Channels;
using CrmKernel.Storage.InMemory;
using CrmKernel.Testing.Storage;

namespace CrmKernel.Tests.Storage;

/// <summary>The in-memory reference stores pass the whole storage conformance kit.</summary>
public sealed class InMemoryCustomerStoreConformanceTests : CustomerStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryCustomerBulkStoreConformanceTests : CustomerBulkStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryCrmOutboxConformanceTests : CrmOutboxConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryTouchpointStoreConformanceTests : TouchpointStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryTouchpointScanStoreConformanceTests : TouchpointScanStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryCustomerScanStoreConformanceTests : CustomerScanStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryRelationshipStoreConformanceTests : RelationshipStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryCustomerTouchpointStoreConformanceTests : CustomerTouchpointStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryOpportunityStoreConformanceTests : OpportunityStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryCaseStoreConformanceTests : CaseStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemorySegmentStoreConformanceTests : SegmentStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryPredictionMarketStoreConformanceTests : PredictionMarketStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryCustomerErasureStoreConformanceTests : CustomerErasureStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryCustomerMergeStoreConformanceTests : CustomerMergeStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

internal static class InMemoryStores
{
    public static ValueTask<CrmStores> CreateAsync()
    {
        var outbox = new InMemoryCrmOutbox();
        var customers = new InMemoryCustomerStore(outbox);
        var touchpoints = new InMemoryTouchpointStore();
        var relationships = new InMemoryRelationshipStore();
        var sales = new InMemorySalesStore(outbox);
        var cases = new InMemoryCaseStore(outbox);
        var ideas = new InMemoryIdeaStore();
        var dispatches = new InMemoryPendingDispatchStore();
        return ValueTask.FromResult(new CrmStores(customers, outbox)
        {
            Touchpoints = touchpoints,
            Relationships = relationships,
            CustomerTouchpoints = new InMemoryCustomerTouchpointStore(customers, touchpoints),
            Opportunities = sales,
            SalesPipelines = sales,
            Cases = cases,
            Segments = new InMemorySegmentStore(),
            PredictionMarkets = new InMemoryPredictionMarketStore(),
            Ideas = ideas,
            PendingDispatches = dispatches,
            Erasure = new InMemoryCustomerErasureStore(customers, cases, sales, outbox, dispatches, ideas),
            Merges = new InMemoryCustomerMergeStore(customers, touchpoints, relationships),
        });
    }
}

/// <inheritdoc cref="InMemoryCustomerStoreConformanceTests"/>
public sealed class InMemoryIdeaStoreConformanceTests : IdeaStoreConformanceTests
{
    protected override ValueTask<CrmStores> CreateStoresAsync() => InMemoryStores.CreateAsync();
}
