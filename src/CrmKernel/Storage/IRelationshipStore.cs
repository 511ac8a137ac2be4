using CrmKernel.Primitives;
using CrmKernel.Relationships;

namespace CrmKernel.Storage;

/// <summary>
/// Where relationships between parties are kept. Application code uses <c>RelationshipGraph</c>, which
/// enforces the graph's rules (no cycles in hierarchies, one primary per party and type) before it writes.
/// </summary>
/// <remarks>
/// Contract (proven by <c>RelationshipStoreConformanceTests</c>): tenant-scoped; <see cref="CommitAsync"/> inserts
/// when the expected version is 0 and otherwise replaces only if the stored version equals it, else
/// <see cref="ConcurrencyConflictException"/>; every field round-trips, including host-defined types; ended
/// relationships stay readable (history is kept). On a store that also merges customers (<see cref="ICustomerMergeStore"/>),
/// a new relationship naming a merged-away customer is refused in the same transaction with
/// <c>CustomerMergeException</c> (<c>CRM-MERGE-003</c>, the message names the survivor): a merge re-points the relationships
/// that exist, and an unmerge gives them back, so none ever points at a customer that no longer exists.
/// </remarks>
public interface IRelationshipStore
{
    /// <summary>Reads a relationship by id; null when the tenant has none.</summary>
    ValueTask<Relationship?> FindAsync(TenantId tenantId, RelationshipId relationshipId, CancellationToken cancellationToken);

    /// <summary>Reads every relationship, current and ended, in which <paramref name="party"/> is either side, in id order.</summary>
    ValueTask<IReadOnlyList<Relationship>> ListByPartyAsync(TenantId tenantId, CustomerId party, CancellationToken cancellationToken);

    /// <summary>Stores a relationship at its <see cref="Relationship.Version"/>, written from <paramref name="expectedVersion"/> (0 = new).</summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not <paramref name="expectedVersion"/>; nothing was stored.</exception>
    /// <exception cref="Identity.CustomerMergeException">A new relationship names a merged-away customer (<c>CRM-MERGE-003</c>, on a store that merges customers); nothing was stored.</exception>
    ValueTask CommitAsync(Relationship relationship, long expectedVersion, CancellationToken cancellationToken);
}
