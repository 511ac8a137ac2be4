using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Segments.SegmentFixture;

namespace CrmKernel.Tests.Segments;

/// <summary>A generated rule over the fixture's atoms, with the members a brute-force set model gives it.</summary>
public sealed record RuleCase(SegmentRule Rule, string Model)
{
    public override string ToString() => $"{Rule}  [model {Model}]";
}

public static class SegmentArbitraries
{
    /// <summary>Clauses whose members over <see cref="SegmentFixture"/> are worked out in <see cref="SegmentServiceTests"/>.</summary>
    internal static readonly (SegmentRule Rule, int[] Members)[] Atoms =
    [
        (new PartyKindRule(PartyKind.Person), [0, 1, 4, 5]),
        (new HasTagRule(new CustomerTag("vip")), [0, 1, 5]),
        (AttributeRule.Compare("tier", SegmentComparison.GreaterThanOrEqual, CustomAttributeValue.FromNumber(5)), [0, 2]),
        (new LifecycleStageRule(Active), [0, 1]),
        (new SpendRule(Duration.FromDays(365), new Money(50m, Currency.EUR)), [0, 2]),
        (new ScoreRule("clv", SegmentComparison.GreaterThanOrEqual, 100m), [1, 2]),
        (new HasRelationshipRule("household"), [0, 5]),
        (new RecencyRule(Duration.FromDays(7)), [0]),
    ];

    /// <summary>The fixture's customers that exist as of <see cref="SegmentFixture.AsOf"/> (c3 is registered later).</summary>
    internal static readonly int[] Universe = [0, 1, 2, 4, 5];

    private static Gen<(SegmentRule Rule, SortedSet<int> Members)> Tree(int depth)
    {
        var atom = Gen.Choose(0, Atoms.Length - 1).Select(i => (Atoms[i].Rule, new SortedSet<int>(Atoms[i].Members)));
        if (depth <= 1)
        {
            return atom;
        }

        var child = Tree(depth - 1);
        var or = Gen.Choose(1, 3).SelectMany(n => child.ListOf(n)).Select(cs => (SegmentRule.Or(cs.Select(c => c.Rule)), cs.Select(c => c.Members).Aggregate((a, b) => new SortedSet<int>(a.Union(b)))));
        var andN = Gen.Choose(1, 3).SelectMany(n => child.ListOf(n)).Select(cs => (SegmentRule.And(cs.Select(c => c.Rule)), cs.Select(c => c.Members).Aggregate((a, b) => new SortedSet<int>(a.Intersect(b)))));
        var not = child.Select(c => (SegmentRule.Not(c.Rule), new SortedSet<int>(Universe.Except(c.Members))));
        return Gen.Frequency((3, atom), (3, andN), (3, or), (2, not));
    }

    public static Arbitrary<RuleCase> Rules()
        => Gen.Choose(1, 4).SelectMany(Tree).Select(t => new RuleCase(t.Rule, string.Join(",", t.Members))).ToArbitrary();
}

/// <summary>Laws of rule composition and of evaluation as of an instant, against brute-force models.</summary>
public sealed class SegmentProperties
{
    private static readonly SegmentFixture Shared = new();

    /// <summary>Membership of and/or/not is the intersection/union/complement of the parts' memberships (a brute-force set model).</summary>
    [Property(Arbitrary = new[] { typeof(SegmentArbitraries) }, MaxTest = 150)]
    public void Composition_AgreesWithTheSetModel(RuleCase rule)
    {
        var members = Shared.MembersAsync(rule.Rule).GetAwaiter().GetResult();
        Assert.Equal(rule.Model, string.Join(",", members));
    }

    /// <summary>De Morgan and double negation hold on evaluated memberships.</summary>
    [Property(Arbitrary = new[] { typeof(SegmentArbitraries) }, MaxTest = 60)]
    public void DeMorgan_AndDoubleNegation(RuleCase a, RuleCase b)
    {
        int[] Of(SegmentRule r) => Shared.MembersAsync(r).GetAwaiter().GetResult();
        Assert.Equal(Of(SegmentRule.Not(SegmentRule.And(a.Rule, b.Rule))), Of(SegmentRule.Or(SegmentRule.Not(a.Rule), SegmentRule.Not(b.Rule))));
        Assert.Equal(Of(SegmentRule.Not(SegmentRule.Or(a.Rule, b.Rule))), Of(SegmentRule.And(SegmentRule.Not(a.Rule), SegmentRule.Not(b.Rule))));
        Assert.Equal(Of(a.Rule), Of(SegmentRule.Not(SegmentRule.Not(a.Rule))));
    }

    /// <summary>Evaluating as of an instant gives what a store holding only the touchpoints before it gives.</summary>
    [Property(MaxTest = 60)]
    public void AsOf_IgnoresTouchpointsAtOrAfterIt(byte[] offsets, byte asOfHours)
    {
        var asOf = Base + Duration.FromHours(asOfHours);
        var rows = offsets.Take(12).Select((o, i) => (Customer: i % 3, At: Base + Duration.FromHours(o), Amount: 10m + (o % 7))).ToArray();
        var everything = Store(rows);
        var before = Store(rows.Where(r => r.At < asOf));
        SegmentRule rule = SegmentRule.Or(new SpendRule(Duration.FromDays(30), new Money(25m, Currency.EUR)), new TouchpointCountRule(Duration.FromHours(100), 2), new RecencyRule(Duration.FromHours(10)));

        Assert.Equal(Evaluate(everything, rule, asOf), Evaluate(before, rule, asOf));
    }

    private static readonly CustomerId[] AsOfCustomers = [.. Enumerable.Range(0, 3).Select(_ => CustomerId.New()).Order()];

    private static global::CrmKernel.Storage.InMemory.InMemoryTouchpointStore Store(IEnumerable<(int Customer, Instant At, decimal Amount)> rows)
    {
        var store = new global::CrmKernel.Storage.InMemory.InMemoryTouchpointStore();
        var i = 0;
        foreach (var (customer, at, amount) in rows)
        {
            var details = new NewTouchpoint
            {
                CustomerId = AsOfCustomers[customer],
                Channel = new ChannelId("web"),
                Direction = InteractionDirection.Inbound,
                Function = CrmFunction.Sales,
                Kind = TouchpointKind.Purchase,
                OccurredAt = at,
                Source = new ExternalIdentifier("p", $"{i++}"),
                Revenue = new Money(amount, Currency.EUR),
            };
            store.AppendAsync(Tenant, [Touchpoint.Create(Tenant, TouchpointId.New(), at, details)], default).AsTask().GetAwaiter().GetResult();
        }

        return store;
    }

    private static List<CustomerId> Evaluate(ITouchpointStore touchpoints, SegmentRule rule, Instant asOf)
    {
        var customers = new SnapshotCustomerStore(AsOfCustomers.Select(id => new CustomerSnapshot { Id = id, TenantId = Tenant, Profile = new PersonProfile("A", "B"), CreatedAt = Base, UpdatedAt = Base, Version = 1 }));
        var service = new Services.Segments.SegmentService(new global::CrmKernel.Storage.InMemory.InMemorySegmentStore(), customers, touchpoints, new NodaTime.Testing.FakeClock(asOf));
        return service.PreviewAsync(Tenant, rule, asOf).ToListAsync().AsTask().GetAwaiter().GetResult();
    }
}
