using System.Collections.Concurrent;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Relationships;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference relationship store: thread-safe, relationships indexed by id and by each party. Registered with
/// <c>builder.UseInMemoryStores()</c>; data lives as long as the instance.
/// </summary>
public sealed class InMemoryRelationshipStore : IRelationshipStore
{
    private readonly ConcurrentDictionary<TenantId, TenantRelationships> _tenants = new();

    /// <inheritdoc />
    public ValueTask<Relationship?> FindAsync(TenantId tenantId, RelationshipId relationshipId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(relationshipId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            return ValueTask.FromResult<Relationship?>(null);
        }

        lock (tenant.Gate)
        {
            return ValueTask.FromResult(tenant.ById.GetValueOrDefault(relationshipId));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Relationship>> ListForPartyAsync(TenantId tenantId, CustomerId party, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(party);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            return ValueTask.FromResult<IReadOnlyList<Relationship>>([]);
        }

        lock (tenant.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Relationship>>(
                tenant.ByParty.TryGetValue(party, out var ids) ? [.. ids.Select(id => tenant.ById[id])] : []);
        }
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(Relationship relationship, long expectedVersion, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(relationship);
        cancellationToken.ThrowIfCancellationRequested();
        var tenant = _tenants.GetOrAdd(relationship.TenantId, static _ => new TenantRelationships());
        lock (tenant.Gate)
        {
            var stored = tenant.ById.GetValueOrDefault(relationship.Id);
            if (stored?.Version != (expectedVersion == 0 ? null : expectedVersion) || relationship.Version != expectedVersion + 1)
            {
                throw new ConcurrencyConflictException("relationship", relationship.Id.ToString(), expectedVersion, stored?.Version);
            }

            tenant.ById[relationship.Id] = relationship;
            if (stored is null)
            {
                tenant.Index(relationship.From, relationship.Id);
                tenant.Index(relationship.To, relationship.Id);
            }
        }

        return ValueTask.CompletedTask;
    }

    private sealed class TenantRelationships
    {
        public readonly Lock Gate = new();
        public readonly Dictionary<RelationshipId, Relationship> ById = [];
        public readonly Dictionary<CustomerId, SortedSet<RelationshipId>> ByParty = [];

        public void Index(CustomerId party, RelationshipId id)
        {
            if (!ByParty.TryGetValue(party, out var ids))
            {
                ByParty[party] = ids = [];
            }

            ids.Add(id);
        }
    }
}
