using System.Collections.Concurrent;
using CrmKernel.Channels;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Privacy;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The in-memory <see cref="ICustomerErasureStore"/> over the in-memory customer, case, sales and outbox stores (and the
/// in-memory pending-message store, when the host has one): an erasure holds the tenant's locks of all of them, in the
/// order customers, cases, opportunities, outbox, so that it is atomic against their own commits. For tests,
/// prototypes and samples; <see cref="CrmKernelBuilder.UseInMemoryStores"/> registers it.
/// </summary>
public sealed class InMemoryCustomerErasureStore : ICustomerErasureStore
{
    private readonly InMemoryCustomerStore _customers;
    private readonly InMemoryCaseStore _cases;
    private readonly InMemorySalesStore _sales;
    private readonly InMemoryCrmOutbox _outbox;
    private readonly InMemoryPendingDispatchStore? _dispatches;
    private readonly ConcurrentDictionary<(TenantId, CustomerId), ErasureRecord> _records = new();

    /// <summary>Creates the store over the given in-memory stores, which must share <paramref name="outbox"/>.</summary>
    /// <exception cref="ArgumentNullException">A store is null.</exception>
    public InMemoryCustomerErasureStore(InMemoryCustomerStore customers, InMemoryCaseStore cases, InMemorySalesStore sales, InMemoryCrmOutbox outbox, InMemoryPendingDispatchStore? dispatches = null)
    {
        _customers = Preconditions.NotNull(customers);
        _cases = Preconditions.NotNull(cases);
        _sales = Preconditions.NotNull(sales);
        _outbox = Preconditions.NotNull(outbox);
        _dispatches = dispatches;
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
            () => _cases.EraseCustomer(erasure.TenantId, erasure.CustomerId, cases =>
                _sales.EraseCustomer(erasure.TenantId, erasure.CustomerId, opportunities =>
                {
                    // Nothing below can fail: the pending messages and outbox are dropped, then the record is kept.
                    var dispatches = _dispatches?.RemoveCustomer(erasure.TenantId, erasure.CustomerId) ?? 0;
                    var events = _outbox.DropAbout(erasure.TenantId, erasure.CustomerId);
                    var made = erasure.ToRecord(cases, opportunities, events, dispatches);
                    _records[key] = made;
                    return made;
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
