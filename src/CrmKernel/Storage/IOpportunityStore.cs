using CrmKernel.Primitives;
using CrmKernel.Sales;

namespace CrmKernel.Storage;

/// <summary>
/// Where opportunities (deals) are kept. Application code uses <c>OpportunityService</c>, which enforces the
/// workflow, retries lost races and records the purchase of a won deal.
/// </summary>
/// <remarks>
/// Contract (proven by <c>OpportunityStoreConformanceTests</c>): tenant-scoped; <see cref="CommitAsync"/> stores the
/// state and appends the commit's events to the same store's outbox in one transaction, inserting when the expected
/// version is 0 and otherwise replacing only if the stored version equals it, else
/// <see cref="ConcurrencyConflictException"/> and nothing stored; pages are keyset pages in ascending id order, at most
/// 10,000 items, a short page being the last.
/// </remarks>
public interface IOpportunityStore
{
    /// <summary>Reads a deal by id; null when the tenant has none.</summary>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The stored deal is not valid.</exception>
    ValueTask<Opportunity?> FindAsync(TenantId tenantId, OpportunityId opportunityId, CancellationToken cancellationToken);

    /// <summary>Reads one page of the tenant's deals: those after <paramref name="after"/> (from the start when null), in id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to 10,000.</exception>
    ValueTask<IReadOnlyList<Opportunity>> PageAsync(TenantId tenantId, OpportunityId? after, int limit, CancellationToken cancellationToken);

    /// <summary>Reads one page of a customer's deals: those after <paramref name="after"/> (from the start when null), in id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to 10,000.</exception>
    ValueTask<IReadOnlyList<Opportunity>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, OpportunityId? after, int limit, CancellationToken cancellationToken);

    /// <summary>Stores a deal's new state and its events atomically.</summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the commit's expected version (an insert of an existing id, an update of a missing one, a stale write); nothing was stored.</exception>
    ValueTask CommitAsync(OpportunityCommit commit, CancellationToken cancellationToken);
}
