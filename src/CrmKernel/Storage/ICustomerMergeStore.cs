using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage;

/// <summary>
/// A customer store that can merge two customers and undo the merge, each in one atomic step. Application code uses
/// <c>CustomerMergeService</c>; an adapter implements this beside <see cref="ICustomerStore"/> on the same database.
/// </summary>
/// <remarks>
/// <para>The contract, proven by <c>CrmKernel.Testing</c>'s <c>CustomerMergeStoreConformanceTests</c>:</para>
/// <list type="bullet">
/// <item>A merge stores the survivor's merged state (only if both customers are still at the versions in the record:
/// otherwise <see cref="ConcurrencyConflictException"/>), removes the merged customer, moves its touchpoints to the
/// survivor (their ids go in the record), keeps the record and appends the events — all or nothing.</item>
/// <item>The same merge (same survivor and merged customer) while it is active returns the stored record and changes
/// nothing. A merged-away customer cannot be merged again or committed (<see cref="CustomerMergeException"/>,
/// <c>CRM-MERGE-003</c>).</item>
/// <item>Touchpoints appended through <see cref="AppendTouchpointsAsync"/> for a merged-away customer are stored with
/// its survivor (following later merges of the survivor) and listed as redirected in every merge on the way; so are those
/// <see cref="AppendRedirectedWithCustomerAsync"/> stores (with the survivor's lifecycle change) after verifying, in the
/// same transaction, that the redirect still holds. The plain <see cref="ITouchpointStore.AppendAsync"/> does not
/// redirect: it is the raw append for loads that know their customers; use <c>TouchpointIngestion</c>.</item>
/// <item>An unmerge stores the survivor's restored state (if still at the version it was read at), re-inserts the
/// merged customer, moves the record's moved and redirected touchpoints the survivor still holds back to it, marks
/// the record undone and appends the events — all or nothing. Undoing an undone merge returns the record unchanged.
/// Undoing an active merge whose record an erasure redacted (<see cref="CustomerMergeRecord.IsRedacted"/>) is refused
/// (<see cref="CustomerMergeException"/>, <c>CRM-MERGE-006</c>) and changes nothing.</item>
/// <item>Records stay readable by id and by either customer's id (e.g. for erasure).</item>
/// </list>
/// </remarks>
public interface ICustomerMergeStore : ICustomerStore
{
    /// <summary>Commits a merge; returns the stored record (with the moved touchpoints), or the active record of the same merge.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="commit"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">A customer is missing or not at the record's version; nothing was stored.</exception>
    /// <exception cref="CustomerMergeException">A customer was merged away (<c>CRM-MERGE-003</c>); nothing was stored.</exception>
    /// <exception cref="ExternalIdentifierConflictException">An identifier of the merged state is held by a third customer; nothing was stored.</exception>
    ValueTask<CustomerMergeRecord> CommitMergeAsync(CustomerMergeCommit commit, CancellationToken cancellationToken);

    /// <summary>Commits an unmerge; returns the stored record, marked undone (unchanged when it already was).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="commit"/> is null.</exception>
    /// <exception cref="CustomerMergeException">No such merge (<c>CRM-MERGE-004</c>), its survivor is merged away (<c>CRM-MERGE-005</c>), or an erasure redacted its record (<c>CRM-MERGE-006</c>); nothing was stored.</exception>
    /// <exception cref="ConcurrencyConflictException">The survivor changed since it was read; nothing was stored.</exception>
    ValueTask<CustomerMergeRecord> CommitUnmergeAsync(CustomerUnmergeCommit commit, CancellationToken cancellationToken);

    /// <summary>Reads a merge record; null when the tenant has none with that id.</summary>
    ValueTask<CustomerMergeRecord?> FindMergeAsync(TenantId tenantId, CustomerMergeId mergeId, CancellationToken cancellationToken);

    /// <summary>Reads the active merge that merged <paramref name="customerId"/> away; null when it is not merged away.</summary>
    ValueTask<CustomerMergeRecord?> FindActiveMergeAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves many ids in one call: for each of <paramref name="customerIds"/> that is merged away, its current survivor
    /// (following chains of active merges); ids that are not merged away are absent. <c>TouchpointIngestion</c> asks it
    /// once per batch, only about ids whose customer was not found.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="customerIds"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or more than <see cref="StoreLimits.MaxAppendBatch"/> ids are passed.</exception>
    ValueTask<IReadOnlyDictionary<CustomerId, CustomerId>> FindSurvivorsAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, CancellationToken cancellationToken);

    /// <summary>Lists every merge record (active or undone) naming <paramref name="customerId"/> on either side, in merge id order.</summary>
    ValueTask<IReadOnlyList<CustomerMergeRecord>> ListMergesByCustomerAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends touchpoints like <see cref="ITouchpointStore.AppendAsync"/>, except that one addressed to a merged-away
    /// customer is stored with its survivor and listed as redirected in the merge, so an unmerge gives it back.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoints"/> is null.</exception>
    /// <exception cref="ArgumentException">A touchpoint is null or of another tenant.</exception>
    ValueTask<TouchpointAppendResult> AppendTouchpointsAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="ICustomerTouchpointStore.AppendManyWithCustomerAsync"/> for touchpoints already re-addressed to a
    /// survivor: <c>TouchpointIngestion</c> calls it after finding that the customer a touchpoint was addressed to is
    /// merged away, so the survivor's lifecycle change is stored in the same commit. In one transaction: if a source key or
    /// id is taken, stores nothing and reports it (as the base method does); otherwise verifies, for every index where
    /// <paramref name="addressedTo"/> differs from the touchpoint's customer, that the active merges still lead from that
    /// customer to the touchpoint's customer (else <see cref="ConcurrencyConflictException"/>: a merge or unmerge raced
    /// with the caller, who reads again), checks and stores the customer commit, stores every touchpoint and lists each
    /// redirected one in every merge on the way, so an unmerge gives it back.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="touchpoints">The touchpoints, at least one, all of one customer (the survivor).</param>
    /// <param name="addressedTo">For each touchpoint, by index, the customer it was addressed to (its own customer when not redirected).</param>
    /// <param name="commit">The survivor's change caused by the touchpoints, or null when they caused none.</param>
    /// <param name="cancellationToken">Cancels the operation; nothing is stored if it is cancelled.</param>
    /// <returns>As <see cref="ICustomerTouchpointStore.AppendManyWithCustomerAsync"/>: all stored, or nothing stored and the touchpoints that cannot be appended reported.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, the list is empty, holds null, or mixes tenants or customers; <paramref name="addressedTo"/> has another length; or the commit is for another customer or tenant.</exception>
    /// <exception cref="ConcurrencyConflictException">A redirect no longer holds (the merge was undone, or the survivor merged away), or the customer changed since it was read; nothing was stored.</exception>
    /// <exception cref="ExternalIdentifierConflictException">Another customer holds one of the commit's identifiers; nothing was stored.</exception>
    ValueTask<TouchpointAppendResult> AppendRedirectedWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyList<CustomerId> addressedTo, CustomerCommit? commit, CancellationToken cancellationToken);
}
