using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Services.Relationships;

/// <summary>
/// Customers live in a web of relationships: people and their employers, parent companies and subsidiaries,
/// households, referrals. This service establishes and ends relationships under the graph's rules and answers
/// questions about the graph as of an instant. Resolve it from DI.
/// </summary>
/// <remarks>
/// <para>Rules, checked when writing (each a <see cref="RelationshipRuleException"/>; nothing is stored):</para>
/// <list type="bullet">
/// <item><c>CRM-RELATIONSHIP-001</c>: the same type between the same parties already holds during the new period.</item>
/// <item><c>CRM-RELATIONSHIP-002</c>: in a hierarchical type, the link would close a cycle (the parent is already below
/// the child) during the new period.</item>
/// <item><c>CRM-RELATIONSHIP-003</c>: in a hierarchical type, the child already has a parent during the new period.</item>
/// <item><c>CRM-RELATIONSHIP-004</c>: a party would have two primary relationships of one type at some instant.</item>
/// <item><c>CRM-RELATIONSHIP-005</c>: ending a relationship that has already ended, or at or before its start.</item>
/// </list>
/// <para>Writes within one process are serialised per tenant so the rules hold under concurrency; hosts writing the same
/// tenant's graph from several processes should route those writes through one of them.</para>
/// </remarks>
public sealed class RelationshipGraph
{
    private readonly IRelationshipStore _store;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Creates the service (DI does this for you).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    public RelationshipGraph(IRelationshipStore store) => _store = Preconditions.NotNull(store);

    /// <summary>Establishes a relationship: "<paramref name="from"/> is the forward role of <paramref name="to"/>" from <paramref name="validFrom"/>.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="type">The relationship type.</param>
    /// <param name="from">The party in the forward role (e.g. the employer, the parent).</param>
    /// <param name="to">The party in the reverse role (e.g. the employee, the subsidiary).</param>
    /// <param name="validFrom">When it begins.</param>
    /// <param name="validTo">When it ends (exclusive), or null while it lasts.</param>
    /// <param name="isPrimary">Whether it is <paramref name="to"/>'s primary relationship of this type.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    /// <exception cref="ArgumentException">A default tenant or party, a party related to itself, or an end not after the start.</exception>
    /// <exception cref="RelationshipRuleException">A graph rule forbids it (see the remarks).</exception>
    public async ValueTask<Relationship> EstablishAsync(TenantId tenantId, RelationshipType type, CustomerId from, CustomerId to, Instant validFrom, Instant? validTo = null, bool isPrimary = false, CancellationToken cancellationToken = default)
    {
        var relationship = Relationship.Create(tenantId, RelationshipId.New(), type, from, to, isPrimary, validFrom, validTo, 1);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CheckRulesAsync(relationship, cancellationToken).ConfigureAwait(false);
            await _store.CommitAsync(relationship, 0, cancellationToken).ConfigureAwait(false);
            return relationship;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Ends a relationship at <paramref name="end"/>; it stays in the history.</summary>
    /// <exception cref="ArgumentException">A default tenant or id.</exception>
    /// <exception cref="RelationshipRuleException"><c>CRM-RELATIONSHIP-005</c>: already ended, or <paramref name="end"/> is not after its start; <c>CRM-RELATIONSHIP-006</c>: no such relationship.</exception>
    /// <exception cref="ConcurrencyConflictException">It changed since it was read.</exception>
    public async ValueTask<Relationship> EndAsync(TenantId tenantId, RelationshipId relationshipId, Instant end, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(relationshipId);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await _store.FindAsync(tenantId, relationshipId, cancellationToken).ConfigureAwait(false)
                          ?? throw new RelationshipRuleException(CrmErrorCodes.RelationshipNotFound, $"Tenant {tenantId} has no relationship {relationshipId}.");
            if (current.ValidTo is not null || end <= current.ValidFrom)
            {
                throw new RelationshipRuleException(CrmErrorCodes.RelationshipAlreadyEnded, $"Relationship {relationshipId} has already ended or would end at or before it began.");
            }

            var ended = current.EndedAt(end);
            await _store.CommitAsync(ended, current.Version, cancellationToken).ConfigureAwait(false);
            return ended;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The relationships of <paramref name="party"/> that hold at <paramref name="asOf"/>.</summary>
    /// <exception cref="ArgumentException">A default tenant or party.</exception>
    public async ValueTask<IReadOnlyList<Relationship>> AsOfAsync(TenantId tenantId, CustomerId party, Instant asOf, CancellationToken cancellationToken = default)
    {
        var all = await ListAsync(tenantId, party, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(r => r.IsValidAt(asOf))];
    }

    /// <summary>
    /// The parties that play <paramref name="role"/> towards <paramref name="party"/> at <paramref name="asOf"/>, with
    /// the relationship that links each: e.g. an organisation's <c>employee</c>s, or a person's <c>employer</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is null.</exception>
    /// <exception cref="ArgumentException">A default tenant or party, or an invalid role.</exception>
    public async ValueTask<IReadOnlyList<RelatedParty>> NeighboursAsync(TenantId tenantId, CustomerId party, string role, Instant asOf, CancellationToken cancellationToken = default)
    {
        var wanted = Slug.Require(role, RelationshipType.MaxRoleLength, "role", nameof(role));
        var current = await AsOfAsync(tenantId, party, asOf, cancellationToken).ConfigureAwait(false);
        return [.. current.Where(r => r.RoleOf(r.Other(party)) == wanted).Select(r => new RelatedParty(r.Other(party), r))];
    }

    /// <summary>The chain of parents above <paramref name="party"/> at <paramref name="asOf"/>, nearest first, in a hierarchical type (by default parent/subsidiary).</summary>
    /// <exception cref="ArgumentException">A default tenant or party, or a type that is not hierarchical.</exception>
    public async ValueTask<IReadOnlyList<CustomerId>> AncestorsAsync(TenantId tenantId, CustomerId party, Instant asOf, RelationshipType? type = null, CancellationToken cancellationToken = default)
    {
        var hierarchy = Hierarchical(type);
        var chain = new List<CustomerId>();
        var seen = new HashSet<CustomerId> { party };
        var current = party;
        while (await ParentAsync(tenantId, current, hierarchy, asOf, cancellationToken).ConfigureAwait(false) is { } parent && seen.Add(parent))
        {
            chain.Add(parent);
            current = parent;
        }

        return chain;
    }

    /// <summary>The top of <paramref name="party"/>'s hierarchy at <paramref name="asOf"/> (the party itself when it has no parent).</summary>
    /// <exception cref="ArgumentException">A default tenant or party, or a type that is not hierarchical.</exception>
    public async ValueTask<CustomerId> RootAsync(TenantId tenantId, CustomerId party, Instant asOf, RelationshipType? type = null, CancellationToken cancellationToken = default)
    {
        var ancestors = await AncestorsAsync(tenantId, party, asOf, type, cancellationToken).ConfigureAwait(false);
        return ancestors.Count == 0 ? party : ancestors[^1];
    }

    /// <summary>Every party below <paramref name="party"/> at <paramref name="asOf"/>, breadth first, in a hierarchical type (by default parent/subsidiary).</summary>
    /// <exception cref="ArgumentException">A default tenant or party, or a type that is not hierarchical.</exception>
    public async ValueTask<IReadOnlyList<CustomerId>> DescendantsAsync(TenantId tenantId, CustomerId party, Instant asOf, RelationshipType? type = null, CancellationToken cancellationToken = default)
    {
        var hierarchy = Hierarchical(type);
        var found = new List<CustomerId>();
        var seen = new HashSet<CustomerId> { party };
        var queue = new Queue<CustomerId>([party]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var r in await AsOfAsync(tenantId, current, asOf, cancellationToken).ConfigureAwait(false))
            {
                if (r.Type.Equals(hierarchy) && r.From == current && seen.Add(r.To))
                {
                    found.Add(r.To);
                    queue.Enqueue(r.To);
                }
            }
        }

        return found;
    }

    /// <summary>The other members of <paramref name="party"/>'s household at <paramref name="asOf"/>: everyone linked to it through household relationships, directly or not.</summary>
    /// <exception cref="ArgumentException">A default tenant or party.</exception>
    public async ValueTask<IReadOnlyList<CustomerId>> HouseholdAsync(TenantId tenantId, CustomerId party, Instant asOf, CancellationToken cancellationToken = default)
    {
        var members = new List<CustomerId>();
        var seen = new HashSet<CustomerId> { party };
        var queue = new Queue<CustomerId>([party]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var r in await AsOfAsync(tenantId, current, asOf, cancellationToken).ConfigureAwait(false))
            {
                if (r.Type.Equals(RelationshipType.Household) && seen.Add(r.Other(current)))
                {
                    members.Add(r.Other(current));
                    queue.Enqueue(r.Other(current));
                }
            }
        }

        return members;
    }

    private async ValueTask<IReadOnlyList<Relationship>> ListAsync(TenantId tenantId, CustomerId party, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(party);
        return await _store.ListByPartyAsync(tenantId, party, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<CustomerId?> ParentAsync(TenantId tenantId, CustomerId child, RelationshipType hierarchy, Instant asOf, CancellationToken cancellationToken)
    {
        foreach (var r in await AsOfAsync(tenantId, child, asOf, cancellationToken).ConfigureAwait(false))
        {
            if (r.Type.Equals(hierarchy) && r.To == child)
            {
                return r.From;
            }
        }

        return null;
    }

    private static RelationshipType Hierarchical(RelationshipType? type)
    {
        var hierarchy = type ?? RelationshipType.ParentSubsidiary;
        Preconditions.Check(hierarchy.IsHierarchical, "The relationship type must be hierarchical.", nameof(type));
        return hierarchy;
    }

    private async ValueTask CheckRulesAsync(Relationship candidate, CancellationToken cancellationToken)
    {
        var tenant = candidate.TenantId;
        var ofTo = await _store.ListByPartyAsync(tenant, candidate.To, cancellationToken).ConfigureAwait(false);
        var sameType = ofTo.Where(r => r.Type.Id == candidate.Type.Id && r.Overlaps(candidate.ValidFrom, candidate.ValidTo)).ToList();

        // Same direction is a duplicate; the reverse direction only for symmetric types (for a hierarchy it is a cycle, below).
        if (sameType.Any(r => (r.From == candidate.From && r.To == candidate.To) || (candidate.Type.IsSymmetric && r.Involves(candidate.From))))
        {
            throw new RelationshipRuleException(CrmErrorCodes.DuplicateRelationship, $"Customers {candidate.From} and {candidate.To} are already related by '{candidate.Type.Id}' in that period.");
        }

        if (candidate.IsPrimary)
        {
            var ofFrom = candidate.Type.IsSymmetric ? await _store.ListByPartyAsync(tenant, candidate.From, cancellationToken).ConfigureAwait(false) : [];
            var clash = sameType.Any(r => r.IsPrimary && (r.To == candidate.To || r.Type.IsSymmetric))
                        || ofFrom.Any(r => r.Type.Id == candidate.Type.Id && r.IsPrimary && r.Overlaps(candidate.ValidFrom, candidate.ValidTo));
            if (clash)
            {
                throw new RelationshipRuleException(CrmErrorCodes.DuplicatePrimaryRelationship, $"A party of relationship type '{candidate.Type.Id}' between {candidate.From} and {candidate.To} already has a primary one in that period.");
            }
        }

        if (!candidate.Type.IsHierarchical)
        {
            return;
        }

        if (sameType.Any(r => r.To == candidate.To))
        {
            throw new RelationshipRuleException(CrmErrorCodes.HierarchyParentExists, $"Customer {candidate.To} already has a '{candidate.Type.ForwardRole}' in that period.");
        }

        // A cycle: walking up from the new parent (through links overlapping the new period) reaches the new child.
        var seen = new HashSet<CustomerId>();
        var queue = new Queue<CustomerId>([candidate.From]);
        while (queue.TryDequeue(out var current))
        {
            if (current == candidate.To)
            {
                throw new RelationshipRuleException(CrmErrorCodes.HierarchyCycle, $"Making {candidate.From} the '{candidate.Type.ForwardRole}' of {candidate.To} would close a cycle.");
            }

            if (!seen.Add(current))
            {
                continue;
            }

            foreach (var r in await _store.ListByPartyAsync(tenant, current, cancellationToken).ConfigureAwait(false))
            {
                if (r.Type.Id == candidate.Type.Id && r.To == current && r.Overlaps(candidate.ValidFrom, candidate.ValidTo))
                {
                    queue.Enqueue(r.From);
                }
            }
        }
    }
}
