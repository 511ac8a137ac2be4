using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// The events a store has committed with aggregate state and not yet published (the transactional
/// outbox). Stores implement it next to their aggregate stores; <c>CrmEventRelay</c> reads it to
/// deliver events that could not be published right after their commit.
/// </summary>
public interface ICrmOutbox
{
    /// <summary>Reads up to <paramref name="limit"/> unpublished events of a tenant, oldest first (commit order).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1 or more than 10,000.</exception>
    ValueTask<IReadOnlyList<CrmEventEnvelope>> ListPendingAsync(TenantId tenantId, int limit, CancellationToken cancellationToken);

    /// <summary>Marks events as published so they are not read again; unknown or already published ids are ignored.</summary>
    ValueTask MarkPublishedAsync(TenantId tenantId, IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken);
}
