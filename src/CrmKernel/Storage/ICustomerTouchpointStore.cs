using CrmKernel.Primitives;
using CrmKernel.Touchpoints;

namespace CrmKernel.Storage;

/// <summary>
/// An optional store capability: append a touchpoint and commit the change it caused to its customer in one
/// transaction, so that either both are stored or neither is. <c>TouchpointIngestion</c> uses it
/// to apply the lifecycle transitions a touchpoint triggers in the same commit. Implement it in an adapter whose customers and
/// touchpoints live in one database; the in-memory stores provide it through <c>InMemoryCustomerTouchpointStore</c>.
/// </summary>
public interface ICustomerTouchpointStore
{
    /// <summary>
    /// In one transaction: if a touchpoint with the same source key is already stored, stores nothing and reports it
    /// (already present with the same content, or a conflict); otherwise checks the customer commit (optimistic
    /// concurrency, external identifiers), stores the customer, its events in the outbox, and the touchpoint.
    /// </summary>
    /// <param name="tenantId">The tenant of the touchpoint and the customer.</param>
    /// <param name="touchpoint">The touchpoint to append.</param>
    /// <param name="commit">The customer's change caused by the touchpoint, or null when it caused none.</param>
    /// <param name="cancellationToken">Cancels the operation; nothing is stored if it is cancelled.</param>
    /// <returns>
    /// The append result for the single touchpoint: <see cref="TouchpointAppendResult.Appended"/> is 1 when both were
    /// stored; otherwise index 0 is in <see cref="TouchpointAppendResult.AlreadyPresent"/> or <see cref="TouchpointAppendResult.Conflicts"/> and nothing was stored.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or the touchpoint or commit belongs to another tenant, or the commit is for another customer than the touchpoint's.</exception>
    /// <exception cref="ConcurrencyConflictException">The customer was changed since it was read; nothing was stored.</exception>
    /// <exception cref="ExternalIdentifierConflictException">Another customer holds one of the commit's identifiers; nothing was stored.</exception>
    ValueTask<TouchpointAppendResult> AppendWithCustomerAsync(TenantId tenantId, Touchpoint touchpoint, CustomerCommit? commit, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction, for several touchpoints of one customer (a bulk ingestion's share for that customer): if the
    /// source key or id of any of them is already taken — by a stored touchpoint or by an earlier one in the list — stores
    /// nothing and reports each such touchpoint (already present with the same content, or a conflict); otherwise checks
    /// the customer commit (optimistic concurrency, external identifiers) and stores the customer, its events in the
    /// outbox, and every touchpoint.
    /// </summary>
    /// <param name="tenantId">The tenant of the touchpoints and the customer.</param>
    /// <param name="touchpoints">The touchpoints to append, at least one, all of one customer.</param>
    /// <param name="commit">The customer's change caused by the touchpoints, or null when they caused none.</param>
    /// <param name="cancellationToken">Cancels the operation; nothing is stored if it is cancelled.</param>
    /// <returns>
    /// <see cref="TouchpointAppendResult.Appended"/> equals the number of touchpoints when everything was stored;
    /// otherwise it is 0, nothing was stored, and every index reported in <see cref="TouchpointAppendResult.AlreadyPresent"/>
    /// or <see cref="TouchpointAppendResult.Conflicts"/> is a touchpoint that cannot be appended.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoints"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, the list is empty or holds null, a touchpoint belongs to another tenant or customer than the first, or the commit is for another customer or tenant.</exception>
    /// <exception cref="ConcurrencyConflictException">The customer was changed since it was read; nothing was stored.</exception>
    /// <exception cref="ExternalIdentifierConflictException">Another customer holds one of the commit's identifiers; nothing was stored.</exception>
    ValueTask<TouchpointAppendResult> AppendManyWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CustomerCommit? commit, CancellationToken cancellationToken);
}
