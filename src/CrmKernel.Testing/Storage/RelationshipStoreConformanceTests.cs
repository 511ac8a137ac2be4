using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Services.Relationships;
using CrmKernel.Storage;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="IRelationshipStore"/>, and for <see cref="RelationshipGraph"/> running on it:
/// every field round-trips, history is kept, versions conflict, tenants are isolated, as-of queries agree with an
/// independent interval model (start inclusive, end exclusive) at and around every boundary, and no order of writes ever produces a cycle in a hierarchy. Return stores whose
/// <see cref="CrmStores.Relationships"/> is set.
/// </summary>
public abstract class RelationshipStoreConformanceTests : StoreConformanceTests
{
    private static readonly RelationshipType Franchise = new("franchise", "franchisor", "franchisee", RelationshipCategory.Commercial, isHierarchical: true);

    /// <summary>The relationship store under test.</summary>
    protected static IRelationshipStore Relationships(CrmStores stores)
    {
        Preconditions.NotNull(stores);
        return stores.Relationships ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Relationships for the relationship kit.");
    }

    /// <summary>Every field round-trips, including a host-defined type and an end; both parties list it.</summary>
    [Fact]
    public virtual async Task Commit_ThenRead_RoundTripsEveryField()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (a, b) = (CustomerId.New(), CustomerId.New());
        var open = Relationship.Create(tenant, RelationshipId.New(), Franchise, a, b, true, Start.PlusNanoseconds(123), null, 1);
        var closed = Relationship.Create(tenant, RelationshipId.New(), RelationshipType.Household, b, a, false, Start, Start + Duration.FromDays(3), 1);
        await Relationships(stores).CommitAsync(open, 0, default);
        await Relationships(stores).CommitAsync(closed, 0, default);

        AssertSame(open, await Relationships(stores).FindAsync(tenant, open.Id, default));
        AssertSame(closed, await Relationships(stores).FindAsync(tenant, closed.Id, default));
        Assert.Equal(new[] { open.Id, closed.Id }.Order(), (await Relationships(stores).ListByPartyAsync(tenant, a, default)).Select(r => r.Id));
        Assert.Equal(new[] { open.Id, closed.Id }.Order(), (await Relationships(stores).ListByPartyAsync(tenant, b, default)).Select(r => r.Id));
    }

    /// <summary>Ending keeps the relationship (history); a stale or repeated write is a concurrency conflict.</summary>
    [Fact]
    public virtual async Task End_KeepsHistory_AndVersionsConflict()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var graph = new RelationshipGraph(Relationships(stores));
        var (org, person) = (CustomerId.New(), CustomerId.New());
        var employment = await graph.EstablishAsync(tenant, RelationshipType.Employment, org, person, Start);

        var ended = await graph.EndAsync(tenant, employment.Id, Start + Duration.FromDays(30));

        Assert.Equal(2, ended.Version);
        AssertSame(ended, await Relationships(stores).FindAsync(tenant, employment.Id, default));
        Assert.Single(await graph.AsOfAsync(tenant, person, Start + Duration.FromDays(29)));
        Assert.Empty(await graph.AsOfAsync(tenant, person, Start + Duration.FromDays(30)));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Relationships(stores).CommitAsync(ended, 1, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Relationships(stores).CommitAsync(employment, 0, default));
        var again = await Assert.ThrowsAsync<RelationshipRuleException>(async () => await graph.EndAsync(tenant, employment.Id, Start + Duration.FromDays(40)));
        Assert.Equal(CrmErrorCodes.RelationshipAlreadyEnded, again.ErrorCode);
    }

    /// <summary>Nothing of tenant A is visible from tenant B.</summary>
    [Fact]
    public virtual async Task Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var (a, b) = (NewTenant(), NewTenant());
        var (x, y) = (CustomerId.New(), CustomerId.New());
        var relationship = Relationship.Create(a, RelationshipId.New(), RelationshipType.Colleague, x, y, false, Start, null, 1);
        await Relationships(stores).CommitAsync(relationship, 0, default);

        Assert.Null(await Relationships(stores).FindAsync(b, relationship.Id, default));
        Assert.Empty(await Relationships(stores).ListByPartyAsync(b, x, default));
    }

    /// <summary>The graph refuses duplicates, second parents, second primaries and self-relationships, and stores nothing.</summary>
    [Fact]
    public virtual async Task Graph_RefusesRuleBreakingWrites()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var graph = new RelationshipGraph(Relationships(stores));
        var (parent, other, child, person) = (CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New());
        await graph.EstablishAsync(tenant, RelationshipType.ParentSubsidiary, parent, child, Start);
        await graph.EstablishAsync(tenant, RelationshipType.Employment, parent, person, Start, isPrimary: true);

        async Task Refused(string code, Func<Task> write)
            => Assert.Equal(code, (await Assert.ThrowsAsync<RelationshipRuleException>(write)).ErrorCode);

        await Refused(CrmErrorCodes.DuplicateRelationship, async () => await graph.EstablishAsync(tenant, RelationshipType.ParentSubsidiary, parent, child, Start + Duration.FromDays(1)));
        await Refused(CrmErrorCodes.HierarchyParentExists, async () => await graph.EstablishAsync(tenant, RelationshipType.ParentSubsidiary, other, child, Start));
        await Refused(CrmErrorCodes.HierarchyCycle, async () => await graph.EstablishAsync(tenant, RelationshipType.ParentSubsidiary, child, parent, Start));
        await Refused(CrmErrorCodes.DuplicatePrimaryRelationship, async () => await graph.EstablishAsync(tenant, RelationshipType.Employment, other, person, Start, isPrimary: true));
        await Assert.ThrowsAsync<ArgumentException>(async () => await graph.EstablishAsync(tenant, RelationshipType.Colleague, person, person, Start));

        Assert.Empty(await Relationships(stores).ListByPartyAsync(tenant, other, default));
        var secondJob = await graph.EstablishAsync(tenant, RelationshipType.Employment, other, person, Start);
        Assert.False(secondJob.IsPrimary);
    }

    /// <summary>Neighbours by role, ancestors, descendants, root and household follow the graph as of an instant.</summary>
    [Fact]
    public virtual async Task Graph_AnswersRoleHierarchyAndHouseholdQueries()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var graph = new RelationshipGraph(Relationships(stores));
        var (group, uk, london, ada, bob, carol) = (CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New(), CustomerId.New());
        await graph.EstablishAsync(tenant, RelationshipType.ParentSubsidiary, group, uk, Start);
        await graph.EstablishAsync(tenant, RelationshipType.ParentSubsidiary, uk, london, Start + Duration.FromDays(10));
        await graph.EstablishAsync(tenant, RelationshipType.Employment, london, ada, Start);
        await graph.EstablishAsync(tenant, RelationshipType.Household, ada, bob, Start);
        await graph.EstablishAsync(tenant, RelationshipType.Household, carol, bob, Start);
        var later = Start + Duration.FromDays(20);

        Assert.Equal([ada], (await graph.NeighboursAsync(tenant, london, "employee", later)).Select(n => n.Party));
        Assert.Equal([london], (await graph.NeighboursAsync(tenant, ada, "Employer", later)).Select(n => n.Party));
        Assert.Equal([uk, group], await graph.AncestorsAsync(tenant, london, later));
        Assert.Empty(await graph.AncestorsAsync(tenant, london, Start));
        Assert.Equal(group, await graph.RootAsync(tenant, london, later));
        Assert.Equal([uk, london], await graph.DescendantsAsync(tenant, group, later));
        Assert.Equal(new[] { bob, carol }.Order(), (await graph.HouseholdAsync(tenant, ada, later)).Order());
    }

    /// <summary>
    /// As-of queries agree with an independent model: a plain list of what was written (parties, start, end as the test
    /// chose them) and hand-written interval rules (start inclusive, end exclusive, no end means open), asked at fixed
    /// days and at every start and end written, one tick either side.
    /// </summary>
    [Fact]
    public virtual async Task AsOf_AgreesWithBruteForce()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var graph = new RelationshipGraph(Relationships(stores));
        var parties = Enumerable.Range(0, 6).Select(_ => CustomerId.New()).ToArray();
        var types = new[] { RelationshipType.Colleague, RelationshipType.Referral, RelationshipType.Household };
        var model = new List<(RelationshipId Id, CustomerId From, CustomerId To, Instant Start, Instant? End)>();
        var plans = (from source in Gen.Choose(0, 5)
                     from target in Gen.Choose(0, 5)
                     from type in Gen.Choose(0, 2)
                     from start in Gen.Choose(0, 100)
                     from length in Gen.Choose(-1, 50)
                     select (source, target, type, start, length)).Sample(size: 10, numberOfSamples: 60);
        foreach (var (source, target, type, start, length) in plans)
        {
            var from = Start + Duration.FromDays(start);
            Instant? to = length < 0 ? null : Start + Duration.FromDays(start + length + 1);
            try
            {
                var stored = await graph.EstablishAsync(tenant, types[type], parties[source], parties[target], from, to);
                model.Add((stored.Id, parties[source], parties[target], from, to));
            }
            catch (Exception e) when (e is RelationshipRuleException or ArgumentException)
            {
                // Refused writes are part of the generated history; the model below only holds what was stored.
            }
        }

        static bool ValidAt(Instant start, Instant? end, Instant at) => start <= at && (end is not { } e || at < e);

        var edges = model.SelectMany(m => m.End is { } e ? new[] { m.Start, e } : [m.Start]).Distinct().ToList();
        var instants = new[] { -1, 0, 10, 37, 60, 120, 200 }.Select(day => Start + Duration.FromDays(day))
            .Concat(edges.SelectMany(e => new[] { e - Duration.Epsilon, e, e + Duration.Epsilon }))
            .Distinct();
        foreach (var instant in instants)
        {
            foreach (var party in parties)
            {
                var expected = model.Where(m => (m.From == party || m.To == party) && ValidAt(m.Start, m.End, instant)).Select(m => m.Id).Order();
                Assert.Equal(expected, (await graph.AsOfAsync(tenant, party, instant)).Select(r => r.Id).Order());
            }
        }
    }

    /// <summary>
    /// A relationship holds from exactly its start (inclusive) until just before its end (exclusive), and with no end
    /// for ever; one ended and another established at the same instant never both hold, and the instant belongs to the new one.
    /// </summary>
    [Fact]
    public virtual async Task AsOf_Boundaries_StartInclusive_EndExclusive_SameInstantHandOver()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var graph = new RelationshipGraph(Relationships(stores));
        var (org, person) = (CustomerId.New(), CustomerId.New());
        var start = Start + Duration.FromHours(1);
        var handOver = start + Duration.FromDays(10);
        var first = await graph.EstablishAsync(tenant, RelationshipType.Employment, org, person, start);

        async Task<RelationshipId[]> At(Instant instant) => [.. (await graph.AsOfAsync(tenant, person, instant)).Select(r => r.Id)];

        Assert.Empty(await At(start - Duration.Epsilon));
        Assert.Equal([first.Id], await At(start));
        Assert.Equal([first.Id], await At(start + Duration.FromDays(36_500)));

        await graph.EndAsync(tenant, first.Id, handOver);
        var second = await graph.EstablishAsync(tenant, RelationshipType.Employment, org, person, handOver);

        Assert.Equal([first.Id], await At(handOver - Duration.Epsilon));
        Assert.Equal([second.Id], await At(handOver));
        Assert.Equal([second.Id], await At(handOver + Duration.Epsilon));
        Assert.Equal([first.Id], await At(start));
        Assert.Equal([org], (await graph.NeighboursAsync(tenant, person, "employer", handOver)).Select(n => n.Party));
    }

    /// <summary>Whatever the order of writes, the hierarchy has no cycle at any instant.</summary>
    [Fact]
    public virtual async Task Hierarchy_NeverContainsACycle_WhateverTheOrderOfWrites()
    {
        await using var stores = await CreateStoresAsync();
        var orders = (from edges in Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, 5)).ListOf().Select(l => l.Take(25).ToArray())
                      select edges).Sample(size: 20, numberOfSamples: 25);
        foreach (var edges in orders)
        {
            var tenant = NewTenant();
            var graph = new RelationshipGraph(Relationships(stores));
            var parties = Enumerable.Range(0, 6).Select(_ => CustomerId.New()).ToArray();
            var day = 0;
            foreach (var (parent, child) in edges)
            {
                try
                {
                    await graph.EstablishAsync(tenant, RelationshipType.ParentSubsidiary, parties[parent], parties[child], Start + Duration.FromDays(day++ % 5));
                }
                catch (Exception e) when (e is RelationshipRuleException or ArgumentException)
                {
                    // Refusals are how cycles are prevented.
                }
            }

            foreach (var instant in new[] { Start, Start + Duration.FromDays(2), Start + Duration.FromDays(10) })
            {
                // Build the parent map from raw as-of reads (not the graph's own walks, which stop at repeats).
                var parentOf = new Dictionary<CustomerId, CustomerId>();
                foreach (var party in parties)
                {
                    var parents = (await graph.AsOfAsync(tenant, party, instant)).Where(r => r.Type.Equals(RelationshipType.ParentSubsidiary) && r.To == party).ToList();
                    Assert.True(parents.Count <= 1, $"Customer {party} has {parents.Count} parents at {instant}.");
                    if (parents.Count == 1)
                    {
                        parentOf[party] = parents[0].From;
                    }
                }

                foreach (var party in parties)
                {
                    var current = party;
                    for (var step = 0; step <= parties.Length && parentOf.TryGetValue(current, out var parent); step++)
                    {
                        Assert.True(parent != party, $"Customer {party} is its own ancestor at {instant}.");
                        current = parent;
                    }
                }
            }
        }
    }

    /// <summary>Every call honours a cancelled token; bad arguments are rejected.</summary>
    [Fact]
    public virtual async Task CancellationAndBadArguments()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var relationship = Relationship.Create(tenant, RelationshipId.New(), RelationshipType.Colleague, CustomerId.New(), CustomerId.New(), false, Start, null, 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Relationships(stores).CommitAsync(relationship, 0, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Relationships(stores).FindAsync(tenant, relationship.Id, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Relationships(stores).ListByPartyAsync(tenant, relationship.From, cancelled.Token));
        Assert.Null(await Relationships(stores).FindAsync(tenant, relationship.Id, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Relationships(stores).FindAsync(default, relationship.Id, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Relationships(stores).ListByPartyAsync(tenant, default, default));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Relationships(stores).CommitAsync(null!, 0, default));
    }

    /// <summary>Asserts every field of two relationships is equal.</summary>
    protected static void AssertSame(Relationship expected, Relationship? actual)
    {
        Preconditions.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.From, actual.From);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.IsPrimary, actual.IsPrimary);
        Assert.Equal(expected.ValidFrom, actual.ValidFrom);
        Assert.Equal(expected.ValidTo, actual.ValidTo);
        Assert.Equal(expected.Version, actual.Version);
    }
}
