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

    /// <summary>The customer store whose merges a new relationship is checked against; set by <see cref="InMemoryCustomerMergeStore"/>.</summary>
    internal InMemoryCustomerStore? Merges { get; set; }

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
        if (expectedVersion == 0 && Merges is { } merges)
        {
            // Under the customers' lock, as a merge re-points relationships: a merge cannot slip in between.
            return merges.WhileNotMergedAway(relationship.TenantId, relationship.From, relationship.To, () => Commit(relationship, expectedVersion));
        }

        return Commit(relationship, expectedVersion);
    }

    private ValueTask Commit(Relationship relationship, long expectedVersion)
    {
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

    /// <summary>
    /// Re-points the relationships naming <paramref name="from"/> (and not <paramref name="keep"/>, when given) to
    /// <paramref name="to"/>, each at its next version; only those listed in <paramref name="only"/> when given. Returns the ids moved.
    /// </summary>
    internal IReadOnlyList<RelationshipId> Repoint(TenantId tenantId, CustomerId from, CustomerId to, CustomerId? keep, IReadOnlyList<RelationshipId>? only)
        => _tenants.Write(tenantId, (from, to, keep, only), static IReadOnlyList<RelationshipId> (t, move) =>
        {
            var (from, to, keep, only) = move;
            if (!t.ByParty.TryGetValue(from, out var ids))
            {
                return [];
            }

            var moved = new List<RelationshipId>();
            foreach (var id in ids.ToArray())
            {
                var r = t.ById[id];
                if ((keep is { } k && r.Involves(k)) || (only is not null && !only.Contains(id)))
                {
                    continue;
                }

                t.ById[id] = Relationship.Create(r.TenantId, r.Id, r.Type, r.From == from ? to : r.From, r.To == from ? to : r.To, r.IsPrimary, r.ValidFrom, r.ValidTo, r.Version + 1);
                ids.Remove(id);
                t.Index(to, id);
                moved.Add(id);
            }

            if (ids.Count == 0)
            {
                t.ByParty.Remove(from);
            }

            return moved;
        });

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
