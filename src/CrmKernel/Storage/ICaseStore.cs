using CrmKernel.Cases;
using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// Where service cases are kept. Application code uses <c>CaseService</c>, which enforces the workflow, retries lost
/// races and records the lifecycle effects of resolutions.
/// </summary>
/// <remarks>
/// Contract (proven by <c>CaseStoreConformanceTests</c>): tenant-scoped; <see cref="CommitAsync"/> stores every case of
/// the commit (one, or two for a merge) and appends the commit's events to the same store's outbox in one transaction,
/// each case inserted when its expected version is 0 and otherwise replaced only if its stored version equals it — if
/// any case conflicts, <see cref="ConcurrencyConflictException"/> and nothing is stored; pages are keyset pages in
/// ascending id order, at most 10,000 items, a short page being the last.
/// </remarks>
public interface ICaseStore
{
    /// <summary>Reads a case by id; null when the tenant has none.</summary>
    /// <exception cref="Diagnostics.InvalidStoredStateException">The stored case is not valid.</exception>
    ValueTask<ServiceCase?> FindAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken);

    /// <summary>Reads one page of the tenant's cases: those after <paramref name="after"/> (from the start when null), in id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<ServiceCase>> PageAsync(TenantId tenantId, CaseId? after, int limit, CancellationToken cancellationToken);

    /// <summary>Reads one page of a customer's cases, in id order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<ServiceCase>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, CaseId? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one page of the tenant's cases in one status, in id order: SLA monitoring walks the new, in-progress and
    /// waiting ones; a close sweep walks the resolved ones.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="status"/> is not defined.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than <see cref="StoreLimits.MaxPageSize"/>.</exception>
    ValueTask<IReadOnlyList<ServiceCase>> PageByStatusAsync(TenantId tenantId, CaseStatus status, CaseId? after, int limit, CancellationToken cancellationToken);

    /// <summary>Stores the new state of one or two cases and their events atomically.</summary>
    /// <exception cref="ConcurrencyConflictException">A stored version is not the expected one (an insert of an existing id, an update of a missing one, a stale write); nothing was stored.</exception>
    ValueTask CommitAsync(CaseCommit commit, CancellationToken cancellationToken);
}
