using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Relationships;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference relationship store: thread-safe, relationships indexed by id and by each party. Registered with
/// <c>builder.UseInMemoryStores()</c>; data lives as long as the instance.
/// </summary>
public sealed class InMemoryRelationshipStore : IRelationshipStore
{
    private readonly TenantPartitions<TenantRelationships> _tenants = new();

    /// <inheritdoc />
    public ValueTask<Relationship?> FindAsync(TenantId tenantId, RelationshipId relationshipId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(relationshipId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, relationshipId, static (t, id) => t.ById.GetValueOrDefault(id), null));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Relationship>> ListByPartyAsync(TenantId tenantId, CustomerId party, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(party);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(
            tenantId,
            party,
            static IReadOnlyList<Relationship> (t, p) => t.ByParty.TryGetValue(p, out var ids) ? [.. ids.Select(id => t.ById[id])] : [],
            []));
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(Relationship relationship, long expectedVersion, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(relationship);
        cancellationToken.ThrowIfCancellationRequested();
        return _tenants.Write(relationship.TenantId, (relationship, expectedVersion), static (t, write) =>
        {
            var (relationship, expectedVersion) = write;
            var stored = t.ById.GetValueOrDefault(relationship.Id);
            if (stored?.Version != (expectedVersion == 0 ? null : expectedVersion) || relationship.Version != expectedVersion + 1)
            {
                throw new ConcurrencyConflictException("relationship", relationship.Id.ToString(), expectedVersion, stored?.Version);
            }

            t.ById[relationship.Id] = relationship;
            if (stored is null)
            {
                t.Index(relationship.From, relationship.Id);
                t.Index(relationship.To, relationship.Id);
            }

            return ValueTask.CompletedTask;
        });
    }

    private sealed class TenantRelationships : ITenantPartition
    {
        public Lock Gate { get; } = new();
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
