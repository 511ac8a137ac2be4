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
        return ValueTask.FromResult(new CrmStores(customers, outbox)
        {
            Touchpoints = touchpoints,
            Relationships = relationships,
            CustomerTouchpoints = new InMemoryCustomerTouchpointStore(customers, touchpoints),
            Opportunities = sales,
            SalesPipelines = sales,
            Cases = new InMemoryCaseStore(outbox),
            Segments = new InMemorySegmentStore(),
            Merges = new InMemoryCustomerMergeStore(customers, touchpoints, relationships),
        });
    }
}
