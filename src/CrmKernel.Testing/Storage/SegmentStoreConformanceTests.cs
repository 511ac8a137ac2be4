using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Segments;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ISegmentStore"/>, and for <see cref="SegmentService"/> running on it: every clause
/// of a rule round-trips, versions are kept and a stale version conflicts without storing anything, pages list each
/// segment's latest version in id order without skipping or repeating, snapshots round-trip and the latest one wins, its
/// members page in id order, and tenants are isolated. Return stores whose <see cref="CrmStores.Segments"/> and
/// <see cref="CrmStores.Touchpoints"/> are set.
/// </summary>
public abstract class SegmentStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The segment store under test.</summary>
    protected static ISegmentStore Segments(CrmStores stores)
        => Preconditions.NotNull(stores).Segments ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Segments for the segment kit.");

    /// <summary>A rule using every kind of clause and combinator, with every optional part given.</summary>
    protected static SegmentRule EveryClause() => SegmentRule.And(
        new PartyKindRule(PartyKind.Person),
        new HasTagRule(new CustomerTag("vip")),
        SegmentRule.Or(
            AttributeRule.Compare("tier", SegmentComparison.GreaterThanOrEqual, CustomAttributeValue.FromNumber(3.5m)),
            AttributeRule.In("city", [CustomAttributeValue.FromText("Lon\"don"), CustomAttributeValue.FromText("Paris, FR")]),
            AttributeRule.Exists("joined"),
            AttributeRule.Compare("birthday", SegmentComparison.LessThan, CustomAttributeValue.FromDate(new LocalDate(2000, 2, 29))),
            AttributeRule.Compare("seen", SegmentComparison.NotEqual, CustomAttributeValue.FromInstant(Start)),
            AttributeRule.Compare("limit", SegmentComparison.LessThanOrEqual, CustomAttributeValue.FromMoney(new Money(12.34m, Currency.EUR))),
            AttributeRule.Compare("opted", SegmentComparison.Equal, CustomAttributeValue.FromBoolean(true))),
        SegmentRule.Not(new LifecycleStageRule(new LifecycleStage("churned"), new LifecycleStage("lapsed"))),
        new TimeInStageRule(SegmentBound.AtMost, Duration.FromDays(30) + Duration.FromTicks(1)),
        new HasRelationshipRule("household"),
        new RelatedToSegmentRule("employment", new SegmentId("b2b:smb")),
        new InSegmentRule(new SegmentId("lapsed-vip")),
        new RecencyRule(Duration.FromDays(90), TouchpointKind.Purchase, CrmFunction.Sales),
        new RecencyRule(Duration.FromHours(1)),
        new TouchpointCountRule(Duration.FromDays(365), 3, TouchpointKind.Enquiry),
        new TouchpointCountRule(Duration.FromDays(7), 1),
        new SpendRule(Duration.FromDays(365), new Money(100.25m, Currency.GBP)),
        new ChannelUsedRule(Duration.FromDays(30), new ChannelId("email")),
        new ContactConsentRule(ConsentPurpose.Marketing, new ChannelId("sms"), ContactPointKind.Phone),
        new ScoreRule("p-alive", SegmentComparison.GreaterThan, 0.75m));

    private SegmentDefinition Definition(string id, int version, SegmentRule? rule = null, string? description = "what it is for")
        => new(new SegmentId(id), version, $"Segment {id} v{version}", rule ?? new HasTagRule(new CustomerTag("vip")), Clock.GetCurrentInstant(), description);

    /// <summary>Every clause, the display name, description and definition time round-trip.</summary>
    [Fact]
    public virtual async Task Definition_RoundTripsEveryClause()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var definition = Definition("everything", 1, EveryClause());
        await Segments(stores).SaveAsync(tenant, definition, default);

        var read = await Segments(stores).FindAsync(tenant, definition.Id, null, default);

        Assert.NotNull(read);
        Assert.Equal(definition.Rule.ToString(), read.Rule.ToString());
        Assert.Equal(definition.Rule, read.Rule);
        Assert.Equal((definition.Id, definition.Version, definition.DisplayName, definition.Description, definition.DefinedAt), (read.Id, read.Version, read.DisplayName, read.Description, read.DefinedAt));
        var bare = Definition("bare", 1, description: null);
        await Segments(stores).SaveAsync(tenant, bare, default);
        Assert.Null((await Segments(stores).FindAsync(tenant, bare.Id, 1, default))!.Description);
    }

    /// <summary>Every version stays readable; the latest is the default; a missing version or segment reads as null.</summary>
    [Fact]
    public virtual async Task Versions_AreKept()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var v1 = Definition("vip", 1);
        var v2 = Definition("vip", 2, new PartyKindRule(PartyKind.Organization));
        await Segments(stores).SaveAsync(tenant, v1, default);
        await Segments(stores).SaveAsync(tenant, v2, default);

        Assert.Equal(2, (await Segments(stores).FindAsync(tenant, v1.Id, null, default))!.Version);
        Assert.Equal(v1.Rule, (await Segments(stores).FindAsync(tenant, v1.Id, 1, default))!.Rule);
        Assert.Equal(v2.Rule, (await Segments(stores).FindAsync(tenant, v1.Id, 2, default))!.Rule);
        Assert.Null(await Segments(stores).FindAsync(tenant, v1.Id, 3, default));
        Assert.Null(await Segments(stores).FindAsync(tenant, new SegmentId("nobody"), null, default));
    }

    /// <summary>A version that does not follow the latest stored one conflicts and stores nothing.</summary>
    [Fact]
    public virtual async Task StaleVersion_Conflicts_AndStoresNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        await Segments(stores).SaveAsync(tenant, Definition("vip", 1), default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Segments(stores).SaveAsync(tenant, Definition("vip", 1, new PartyKindRule(PartyKind.Person)), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Segments(stores).SaveAsync(tenant, Definition("vip", 3), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Segments(stores).SaveAsync(tenant, Definition("new", 2), default));

        var latest = await Segments(stores).FindAsync(tenant, new SegmentId("vip"), null, default);
        Assert.Equal(1, latest!.Version);
        Assert.Equal(new HasTagRule(new CustomerTag("vip")), latest.Rule);
        Assert.Null(await Segments(stores).FindAsync(tenant, new SegmentId("new"), null, default));
    }

    /// <summary>Pages list each segment once, at its latest version, in id order, neither skipping nor repeating.</summary>
    [Fact]
    public virtual async Task Pages_ListLatestVersions_InIdOrder()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        string[] ids = ["m", "b", "z", "a:1", "c/d", "k", "e"];
        foreach (var id in ids)
        {
            await Segments(stores).SaveAsync(tenant, Definition(id, 1), default);
        }

        await Segments(stores).SaveAsync(tenant, Definition("k", 2), default);

        var seen = new List<SegmentDefinition>();
        var listed = await KitPaging.WalkAsync<SegmentId, SegmentDefinition>((after, ct) => Segments(stores).PageAsync(tenant, after, 3, ct), d => { seen.Add(d); return d.Id; }, 3);

        Assert.Equal(ids.Select(i => new SegmentId(i)).Order(), listed);
        Assert.Equal(2, seen.Single(d => d.Id.Value == "k").Version);
        Assert.Empty(await Segments(stores).PageAsync(NewTenant(), null, 3, default));
    }

    /// <summary>A snapshot round-trips; the latest by evaluation time wins; its members page in id order; none reads as null and empty.</summary>
    [Fact]
    public virtual async Task Snapshots_RoundTrip_LatestWins_MembersPage()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var segment = new SegmentId("vip");
        var members = Enumerable.Range(0, 7).Select(_ => CustomerId.New()).ToArray();
        var older = new SegmentSnapshot(tenant, segment, 1, Start, Start + Duration.FromHours(2), members[..2]);
        var newer = new SegmentSnapshot(tenant, segment, 2, Start - Duration.FromDays(1), Start + Duration.FromHours(3), members.Reverse());
        await Segments(stores).SaveSnapshotAsync(newer, default);
        await Segments(stores).SaveSnapshotAsync(older, default);

        var latest = await Segments(stores).FindLatestSnapshotAsync(tenant, segment, default);

        Assert.NotNull(latest);
        Assert.Equal((newer.TenantId, newer.Segment, newer.Version, newer.AsOf, newer.EvaluatedAt), (latest.TenantId, latest.Segment, latest.Version, latest.AsOf, latest.EvaluatedAt));
        Assert.Equal(members.Order(), latest.Members);
        var paged = await KitPaging.WalkAsync<CustomerId, CustomerId>((after, ct) => Segments(stores).PageSnapshotMembersAsync(tenant, segment, after, 3, ct), id => id, 3);
        Assert.Equal(members.Order(), paged);
        Assert.Null(await Segments(stores).FindLatestSnapshotAsync(tenant, new SegmentId("other"), default));
        Assert.Empty(await Segments(stores).PageSnapshotMembersAsync(tenant, new SegmentId("other"), null, 3, default));
        Assert.Null(await Segments(stores).FindLatestSnapshotAsync(NewTenant(), segment, default));
        var empty = new SegmentSnapshot(tenant, new SegmentId("empty"), 1, Start, Start, []);
        await Segments(stores).SaveSnapshotAsync(empty, default);
        Assert.Equal(0, (await Segments(stores).FindLatestSnapshotAsync(tenant, empty.Segment, default))!.Count);
    }

    /// <summary>
    /// Snapshots of one segment saved at the same moment by several writers are all kept: none is refused or lost, and the
    /// latest is the one evaluated last, whole, whichever writer committed first. (A store that numbers snapshots must not
    /// hand two writers the same number.)
    /// </summary>
    [Fact]
    public virtual async Task ConcurrentSnapshots_OfOneSegment_AreAllKept()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var segment = new SegmentId("race");
        const int Writers = 6;
        var snapshots = Enumerable.Range(1, Writers)
            .Select(i => new SegmentSnapshot(tenant, segment, 1, Start, Start + Duration.FromMinutes(i), Enumerable.Range(0, i).Select(_ => CustomerId.New())))
            .ToArray();
        using var gate = new SemaphoreSlim(0);
        var writes = snapshots.Select(snapshot => Task.Run(async () =>
        {
            await gate.WaitAsync();
            await Segments(stores).SaveSnapshotAsync(snapshot, default);
        })).ToArray();
        gate.Release(Writers);
        await Task.WhenAll(writes);

        var latest = await Segments(stores).FindLatestSnapshotAsync(tenant, segment, default);

        Assert.NotNull(latest);
        Assert.Equal(snapshots[^1].EvaluatedAt, latest.EvaluatedAt);
        Assert.Equal(snapshots[^1].Members.ToArray(), latest.Members.ToArray());
    }

    /// <summary>Nothing of one tenant is visible from another.</summary>
    [Fact]
    public virtual async Task Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var (one, other) = (NewTenant(), NewTenant());
        await Segments(stores).SaveAsync(one, Definition("vip", 1), default);

        Assert.Null(await Segments(stores).FindAsync(other, new SegmentId("vip"), null, default));
        await Segments(stores).SaveAsync(other, Definition("vip", 1, new PartyKindRule(PartyKind.Person)), default);
        Assert.Equal(new HasTagRule(new CustomerTag("vip")), (await Segments(stores).FindAsync(one, new SegmentId("vip"), null, default))!.Rule);
    }

    /// <summary>The service defines, evaluates and freezes a segment over the stores' customers and touchpoints.</summary>
    [Fact]
    public virtual async Task Service_DefinesEvaluatesAndFreezes()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var repository = Repository(stores);
        var touchpoints = stores.Touchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Touchpoints for the segment kit.");
        var expected = new List<CustomerId>();
        for (var i = 0; i < 6; i++)
        {
            var customer = NewCustomer(tenant);
            if (i % 2 == 0)
            {
                customer.Tag(new CustomerTag("vip"));
            }

            await repository.SaveAsync(customer, default);
            if (i % 3 != 0)
            {
                var at = Start + Duration.FromMinutes(i);
                var details = new NewTouchpoint
                {
                    CustomerId = customer.Id,
                    Channel = new ChannelId("web"),
                    Direction = InteractionDirection.Inbound,
                    Function = CrmFunction.Sales,
                    Kind = TouchpointKind.Purchase,
                    OccurredAt = at,
                    Source = new ExternalIdentifier("kit", $"order-{i}"),
                    Revenue = new Money(50m, Currency.EUR),
                };
                await touchpoints.AppendAsync(tenant, [Touchpoint.Create(tenant, TouchpointId.New(), at, details)], default);
            }

            if (i % 2 == 0 && i % 3 != 0)
            {
                expected.Add(customer.Id);
            }
        }

        var service = new SegmentService(Segments(stores), stores.Customers, touchpoints, Clock);
        var rule = SegmentRule.And(new HasTagRule(new CustomerTag("vip")), new SpendRule(Duration.FromDays(30), new Money(50m, Currency.EUR)));
        var definition = await service.DefineAsync(tenant, new SegmentId("vip-buyers"), "VIP buyers", rule, 0);
        var asOf = Start + Duration.FromDays(1);

        var snapshot = await service.FreezeAsync(tenant, definition.Id, asOf);

        Assert.Equal(expected.Order(), snapshot.Members);
        Assert.Equal(expected.Order(), (await Segments(stores).FindLatestSnapshotAsync(tenant, definition.Id, default))!.Members);
        Assert.Empty(await service.PreviewAsync(tenant, rule, Start).ToListAsync());
    }
}
