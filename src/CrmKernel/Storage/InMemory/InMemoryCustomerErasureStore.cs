using System.Collections.Concurrent;
using CrmKernel.Channels;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Privacy;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The in-memory <see cref="ICustomerErasureStore"/> over the in-memory customer (with its merge records), case, sales
/// and outbox stores (and the in-memory pending-message and idea stores, when the host has them): an erasure holds the
/// tenant's locks of all of them, in the order customers, cases, opportunities, ideas, outbox, so that it is atomic
/// against their own commits. For tests,
/// prototypes and samples; <see cref="CrmKernelBuilder.UseInMemoryStores"/> registers it.
/// </summary>
public sealed class InMemoryCustomerErasureStore : ICustomerErasureStore
{
    private readonly InMemoryCustomerStore _customers;
    private readonly InMemoryCaseStore _cases;
    private readonly InMemorySalesStore _sales;
    private readonly InMemoryCrmOutbox _outbox;
    private readonly InMemoryPendingDispatchStore? _dispatches;
    private readonly InMemoryIdeaStore? _ideas;
    private readonly ConcurrentDictionary<(TenantId, CustomerId), ErasureRecord> _records = new();

    /// <summary>Creates the store over the given in-memory stores, which must share <paramref name="outbox"/>.</summary>
    /// <param name="customers">The customer store (merge records included).</param>
    /// <param name="cases">The case store.</param>
    /// <param name="sales">The sales store.</param>
    /// <param name="outbox">The outbox the stores share.</param>
    /// <param name="dispatches">The pending-message store, or null when the host has none.</param>
    /// <param name="ideas">The idea store whose ideas, comments and voice records the erasure rewrites, or null when the host keeps none in memory.</param>
    /// <exception cref="ArgumentNullException">A store is null.</exception>
    public InMemoryCustomerErasureStore(InMemoryCustomerStore customers, InMemoryCaseStore cases, InMemorySalesStore sales, InMemoryCrmOutbox outbox, InMemoryPendingDispatchStore? dispatches = null, InMemoryIdeaStore? ideas = null)
    {
        _customers = Preconditions.NotNull(customers);
        _cases = Preconditions.NotNull(cases);
        _sales = Preconditions.NotNull(sales);
        _outbox = Preconditions.NotNull(outbox);
        _dispatches = dispatches;
        _ideas = ideas;
    }

    /// <inheritdoc />
    public ValueTask<ErasureRecord> EraseAsync(CustomerErasure erasure, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(erasure);
        cancellationToken.ThrowIfCancellationRequested();
        var key = (erasure.TenantId, erasure.CustomerId);
        var record = _customers.EraseWith(
            erasure,
            () => _records.GetValueOrDefault(key),
            merges => _cases.EraseCustomer(erasure.TenantId, erasure.CustomerId, cases =>
                _sales.EraseCustomer(erasure.TenantId, erasure.CustomerId, opportunities =>
                {
                    ErasureRecord Finish(int ideas, int comments, int voices)
                    {
                        // Nothing below can fail: the pending messages and outbox are dropped, then the record is kept.
                        var dispatches = _dispatches?.RemoveCustomer(erasure.TenantId, erasure.CustomerId) ?? 0;
                        var events = _outbox.DropAbout(erasure.TenantId, erasure.CustomerId);
                        var made = erasure.ToRecord(cases, opportunities, events, dispatches, merges, ideas, comments, voices);
                        _records[key] = made;
                        return made;
                    }

                    return _ideas is null ? Finish(0, 0, 0) : _ideas.EraseCustomer(erasure.TenantId, erasure.CustomerId, Finish);
                })));
        return ValueTask.FromResult(record);
    }

    /// <inheritdoc />
    public ValueTask<ErasureRecord?> FindErasureAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_records.GetValueOrDefault((tenantId, customerId)));
    }
}
