using CrmKernel.Channels;
using CrmKernel.Diagnostics;
using CrmKernel.Storage;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The stores a conformance kit tests: what an adapter's test class returns from
/// <see cref="StoreConformanceTests.CreateStoresAsync"/>. Each call must give fresh, empty stores (a new
/// database file, schema or in-memory instance); <see cref="DisposeAsync"/> tears them down.
/// </summary>
public sealed class CrmStores : IAsyncDisposable
{
    private readonly Func<ValueTask>? _dispose;

    /// <summary>Creates the set.</summary>
    /// <param name="customers">The customer store under test.</param>
    /// <param name="outbox">The outbox the customer store commits events to.</param>
    /// <param name="dispose">What to do when a test is done with the stores (close connections, delete files); optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> or <paramref name="outbox"/> is null.</exception>
    public CrmStores(ICustomerStore customers, ICrmOutbox outbox, Func<ValueTask>? dispose = null)
    {
        Customers = Preconditions.NotNull(customers);
        Outbox = Preconditions.NotNull(outbox);
        _dispose = dispose;
    }

    /// <summary>The customer store under test.</summary>
    public ICustomerStore Customers { get; }

    /// <summary>The outbox under test.</summary>
    public ICrmOutbox Outbox { get; }

    /// <summary>The touchpoint store under test; required by <see cref="TouchpointStoreConformanceTests"/>.</summary>
    public ITouchpointStore? Touchpoints { get; init; }

    /// <summary>
    /// The pending-message store the adapter's erasure clears; required by <see cref="CustomerErasureStoreConformanceTests"/>
    /// (an erasure drops the erased customer's pending messages).
    /// </summary>
    public IPendingDispatchStore? PendingDispatches { get; init; }

    /// <summary>The relationship store under test; required by <see cref="RelationshipStoreConformanceTests"/>.</summary>
    public IRelationshipStore? Relationships { get; init; }

    /// <summary>The atomic touchpoint-and-customer capability, when the adapter has it (required by <see cref="CustomerTouchpointStoreConformanceTests"/>).</summary>
    public ICustomerTouchpointStore? CustomerTouchpoints { get; init; }

    /// <summary>The opportunity store under test; required by <see cref="OpportunityStoreConformanceTests"/>.</summary>
    public IOpportunityStore? Opportunities { get; init; }

    /// <summary>The sales pipeline store under test; required by <see cref="OpportunityStoreConformanceTests"/>.</summary>
    public ISalesPipelineStore? SalesPipelines { get; init; }

    /// <summary>The case store under test; required by <see cref="CaseStoreConformanceTests"/>.</summary>
    public ICaseStore? Cases { get; init; }

    /// <summary>The segment store under test (needed by the segment kit).</summary>
    public ISegmentStore? Segments { get; init; }

    /// <summary>The prediction market store under test; required by <see cref="PredictionMarketStoreConformanceTests"/>.</summary>
    public IPredictionMarketStore? PredictionMarkets { get; init; }
    /// <summary>The idea store under test; required by <see cref="IdeaStoreConformanceTests"/>.</summary>
    public IIdeaStore? Ideas { get; init; }
    /// <summary>The erasure capability over all of these stores, for <see cref="CustomerErasureStoreConformanceTests"/>; null when the store has none.</summary>
    public ICustomerErasureStore? Erasure { get; init; }
    /// <summary>The merge store (the same database as <see cref="Customers"/>), for the merge kit; null when the adapter has none.</summary>
    public ICustomerMergeStore? Merges { get; init; }

    /// <summary>Runs the teardown given at construction.</summary>
    public ValueTask DisposeAsync() => _dispose?.Invoke() ?? ValueTask.CompletedTask;
}
