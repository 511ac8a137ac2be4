using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Services.Identity;

/// <summary>
/// Merges two records of one customer into one, and undoes a merge: what an application calls once
/// <see cref="DuplicateDetector"/> (or a user) has found a duplicate. Registered by <c>AddCrmKernel</c>; needs an
/// <see cref="ICustomerMergeStore"/> (<c>UseInMemoryStores()</c> registers one).
/// </summary>
/// <remarks>
/// <para>A merge keeps the survivor's id: its fields follow the <see cref="SurvivorshipPolicy"/>, consent becomes the least
/// permissive answer (see <see cref="CustomerMerger"/>), the merged customer's touchpoints and external identifiers move
/// to it, and the merged customer disappears until the merge is undone (writing to it throws <c>CRM-MERGE-003</c>).
/// The <see cref="CustomerMergeRecord"/> keeps both customers as they were, so <see cref="UnmergeAsync"/> restores them;
/// touchpoints recorded for the survivor in between stay with it, those addressed to the merged customer (through
/// <see cref="ICustomerMergeStore.AppendTouchpointsAsync"/>) go back to it.</para>
/// <para>Both operations are idempotent (the same merge twice is one merge; undoing an undone merge changes nothing) and
/// concurrency-safe: the store writes only if both customers are still at the versions read, so of two merges racing on
/// one customer one wins and the other gets <see cref="ConcurrencyConflictException"/> or <c>CRM-MERGE-003</c>. A failed
/// merge changes nothing.</para>
/// </remarks>
public sealed class CustomerMergeService
{
    private readonly ICustomerMergeStore _store;
    private readonly IClock _clock;
    private readonly ICustomerErasureStore? _erasures;

    /// <summary>Creates the service.</summary>
    /// <param name="store">Where customers and merge records are kept.</param>
    /// <param name="clock">Stamps merges and unmerges.</param>
    /// <param name="erasures">
    /// Where erasures are recorded, so that an erased customer is never merged (<c>CRM-MERGE-007</c>); <c>AddCrmKernel</c>
    /// passes the registered one. Without it the service cannot tell an erased shell from a customer.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="clock"/> is null.</exception>
    public CustomerMergeService(ICustomerMergeStore store, IClock clock, ICustomerErasureStore? erasures = null)
    {
        _store = Preconditions.NotNull(store);
        _clock = Preconditions.NotNull(clock);
        _erasures = erasures;
    }

    /// <summary>Merges <paramref name="mergedId"/> into <paramref name="survivorId"/>; returns the merge record (the existing one when this merge is already active).</summary>
    /// <param name="tenantId">The tenant of both customers.</param>
    /// <param name="survivorId">The customer that remains.</param>
    /// <param name="mergedId">The customer merged away.</param>
    /// <param name="policy">The survivorship rules; <see cref="SurvivorshipPolicy.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the merge.</param>
    /// <exception cref="ArgumentException">An id is the default.</exception>
    /// <exception cref="CustomerMergeException">The same customer (<c>CRM-MERGE-001</c>), a person with an organisation (<c>CRM-MERGE-002</c>), a customer merged away (<c>CRM-MERGE-003</c>), or an erased customer (<c>CRM-MERGE-007</c>).</exception>
    /// <exception cref="CustomerNotFoundException">The tenant has no such customer.</exception>
    /// <exception cref="ConcurrencyConflictException">A customer changed while merging; nothing was stored.</exception>
    public ValueTask<CustomerMergeRecord> MergeAsync(TenantId tenantId, CustomerId survivorId, CustomerId mergedId, SurvivorshipPolicy? policy = null, CancellationToken cancellationToken = default)
        => MergeCoreAsync(tenantId, survivorId, mergedId, null, null, policy, cancellationToken);

    /// <summary>
    /// Merges a detected duplicate pair: <see cref="DuplicateCandidate.SecondId"/> into <see cref="DuplicateCandidate.FirstId"/>,
    /// only if neither changed since detection (otherwise <see cref="ConcurrencyConflictException"/>: check again).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="candidate"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">A customer changed since detection; nothing was stored.</exception>
    /// <exception cref="CustomerMergeException">A customer was merged away (<c>CRM-MERGE-003</c>) or erased (<c>CRM-MERGE-007</c>).</exception>
    /// <exception cref="CustomerNotFoundException">A customer no longer exists.</exception>
    public ValueTask<CustomerMergeRecord> MergeCandidateAsync(TenantId tenantId, DuplicateCandidate candidate, SurvivorshipPolicy? policy = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(candidate);
        return MergeCoreAsync(tenantId, candidate.FirstId, candidate.SecondId, candidate.FirstVersion, candidate.SecondVersion, policy, cancellationToken);
    }

    /// <summary>Undoes a merge: restores both customers (see the remarks); returns the record marked undone (unchanged when it already was).</summary>
    /// <exception cref="ArgumentException">An id is the default.</exception>
    /// <exception cref="CustomerMergeException">No such merge (<c>CRM-MERGE-004</c>), its survivor was merged away since (<c>CRM-MERGE-005</c>), or an erasure redacted its record (<c>CRM-MERGE-006</c>).</exception>
    /// <exception cref="ConcurrencyConflictException">The survivor changed while unmerging; nothing was stored.</exception>
    public async ValueTask<CustomerMergeRecord> UnmergeAsync(TenantId tenantId, CustomerMergeId mergeId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(mergeId);
        var record = await _store.FindMergeAsync(tenantId, mergeId, cancellationToken).ConfigureAwait(false)
            ?? throw CustomerMergeException.NotFound(tenantId, mergeId);
        if (!record.IsActive)
        {
            return record;
        }

        if (record.IsRedacted)
        {
            throw CustomerMergeException.Redacted(tenantId, mergeId);
        }

        var current = await _store.FindAsync(tenantId, record.SurvivorId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            throw await _store.FindActiveMergeAsync(tenantId, record.SurvivorId, cancellationToken).ConfigureAwait(false) is not null
                ? CustomerMergeException.SurvivorMergedAway(tenantId, mergeId, record.SurvivorId)
                : new CustomerNotFoundException(tenantId, record.SurvivorId);
        }

        var now = _clock.GetCurrentInstant();
        var survivor = CustomerMerger.RestoreSurvivor(record, current, now);
        var merged = CustomerMerger.RestoreMerged(record);
        _ = Customer.Rehydrate(survivor, _clock);
        var events = new[] { CustomerEventJson.ToEnvelope(new CustomerUnmerged(tenantId, record.SurvivorId, now, mergeId, record.MergedId), survivor.Version) };
        return await _store.CommitUnmergeAsync(new CustomerUnmergeCommit(record, survivor, merged, now, events), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The customer that now stands for <paramref name="customerId"/>: itself, or the survivor of the active merges that merged it away.</summary>
    /// <exception cref="ArgumentException">An id is the default.</exception>
    public async ValueTask<CustomerId> ResolveAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(customerId);
        var current = customerId;
        while (await _store.FindActiveMergeAsync(tenantId, current, cancellationToken).ConfigureAwait(false) is { } merge)
        {
            current = merge.SurvivorId;
        }

        return current;
    }

    private async ValueTask<CustomerMergeRecord> MergeCoreAsync(TenantId tenantId, CustomerId survivorId, CustomerId mergedId, long? survivorVersion, long? mergedVersion, SurvivorshipPolicy? policy, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(survivorId);
        Preconditions.NotDefault(mergedId);
        if (survivorId == mergedId)
        {
            throw CustomerMergeException.WithItself(tenantId, survivorId);
        }

        if (await _store.FindActiveMergeAsync(tenantId, mergedId, cancellationToken).ConfigureAwait(false) is { } active)
        {
            return active.SurvivorId == survivorId ? active : throw CustomerMergeException.MergedAway(tenantId, mergedId, active.Id);
        }

        if (await _store.FindActiveMergeAsync(tenantId, survivorId, cancellationToken).ConfigureAwait(false) is { } gone)
        {
            throw CustomerMergeException.MergedAway(tenantId, survivorId, gone.Id);
        }

        var survivor = await _store.FindAsync(tenantId, survivorId, cancellationToken).ConfigureAwait(false) ?? throw new CustomerNotFoundException(tenantId, survivorId);
        var merged = await _store.FindAsync(tenantId, mergedId, cancellationToken).ConfigureAwait(false) ?? throw new CustomerNotFoundException(tenantId, mergedId);
        if (_erasures is not null)
        {
            // An erasure that commits after this check raises the customer's version, so the merge commit below conflicts.
            foreach (var id in new[] { survivorId, mergedId })
            {
                if (await _erasures.FindErasureAsync(tenantId, id, cancellationToken).ConfigureAwait(false) is not null)
                {
                    throw CustomerMergeException.Erased(tenantId, id);
                }
            }
        }
        if (survivorVersion is { } sv && sv != survivor.Version)
        {
            throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, survivorId.ToString(), sv, survivor.Version);
        }

        if (mergedVersion is { } mv && mv != merged.Version)
        {
            throw new ConcurrencyConflictException(CustomerEventJson.AggregateType, mergedId.ToString(), mv, merged.Version);
        }

        var mergeId = CustomerMergeId.New();
        var now = _clock.GetCurrentInstant();
        var state = CustomerMerger.Merge(survivor, merged, policy ?? SurvivorshipPolicy.Default, mergeId, now);
        _ = Customer.Rehydrate(state, _clock);
        var record = new CustomerMergeRecord(mergeId, survivor, merged, now, state.Version, state.Consents.Count, [], [], []);
        var events = new[] { CustomerEventJson.ToEnvelope(new CustomerMerged(tenantId, survivorId, now, mergeId, mergedId), state.Version) };
        return await _store.CommitMergeAsync(new CustomerMergeCommit(record, state, events), cancellationToken).ConfigureAwait(false);
    }
}
