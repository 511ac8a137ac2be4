using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Segments.SegmentFixture;

namespace CrmKernel.Tests.Segments;

/// <summary>Every clause over the hand-made customers of <see cref="SegmentFixture"/>, with memberships worked out by hand.</summary>
public sealed class SegmentServiceTests
{
    private static CustomAttributeValue N(decimal value) => CustomAttributeValue.FromNumber(value);

    private static CustomAttributeValue T(string value) => CustomAttributeValue.FromText(value);

    public static TheoryData<string, SegmentRule, int[]> Clauses() => new()
    {
        // c3 is registered after the as-of instant, so it is in no segment.
        { "kind person", new PartyKindRule(PartyKind.Person), [0, 1, 4, 5] },
        { "kind organization", new PartyKindRule(PartyKind.Organization), [2] },
        { "tag vip", new HasTagRule(new CustomerTag("vip")), [0, 1, 5] },
        { "not tag vip", SegmentRule.Not(new HasTagRule(new CustomerTag("vip"))), [2, 4] },
        { "tier >= 5", AttributeRule.Compare("tier", SegmentComparison.GreaterThanOrEqual, N(5)), [0, 2] },
        { "tier > 5", AttributeRule.Compare("tier", SegmentComparison.GreaterThan, N(5)), [2] },
        { "tier < 5", AttributeRule.Compare("tier", SegmentComparison.LessThan, N(5)), [1] },
        { "tier <= 5", AttributeRule.Compare("tier", SegmentComparison.LessThanOrEqual, N(5)), [0, 1] },
        { "tier = 5", AttributeRule.Compare("tier", SegmentComparison.Equal, N(5)), [0] },
        { "tier != 5 (needs the attribute)", AttributeRule.Compare("tier", SegmentComparison.NotEqual, N(5)), [1, 2] },
        { "not tier = 5 (includes customers without it)", SegmentRule.Not(AttributeRule.Compare("tier", SegmentComparison.Equal, N(5))), [1, 2, 4, 5] },
        { "tier exists", AttributeRule.Exists("tier"), [0, 1, 2] },
        { "city in", AttributeRule.In("city", [T("London"), T("Paris")]), [0, 2] },
        { "city = london is case-sensitive", AttributeRule.Compare("city", SegmentComparison.Equal, T("london")), [] },
        { "stage active (from the history as of the instant)", new LifecycleStageRule(Active), [0, 1] },
        { "stage prospect (before a later move)", new LifecycleStageRule(Prospect), [4] },
        { "stage in lapsed|prospect", new LifecycleStageRule(Lapsed, Prospect), [2, 4] },
        { "time in stage >= 20 days", new TimeInStageRule(SegmentBound.AtLeast, Duration.FromDays(20)), [0, 1, 2, 4] },
        { "time in stage <= 25 days", new TimeInStageRule(SegmentBound.AtMost, Duration.FromDays(25)), [2] },
        { "spend >= 50 EUR in 365 days (not GBP, not after the instant)", new SpendRule(Duration.FromDays(365), new Money(50m, Currency.EUR)), [0, 2] },
        { "spend >= 50 EUR in 20 days", new SpendRule(Duration.FromDays(20), new Money(50m, Currency.EUR)), [0] },
        { "spend >= 30 GBP", new SpendRule(Duration.FromDays(365), new Money(30m, Currency.GBP)), [2] },
        { "count >= 2 in 30 days", new TouchpointCountRule(Duration.FromDays(30), 2), [0, 2] },
        { "count >= 2 purchases", new TouchpointCountRule(Duration.FromDays(30), 2, TouchpointKind.Purchase), [2] },
        { "count >= 1 in 24 days (the window's start is inclusive: c2's day-6 purchase counts)", new TouchpointCountRule(Duration.FromDays(24), 1), [0, 2] },
        { "count >= 1 in 23 days", new TouchpointCountRule(Duration.FromDays(23), 1), [0] },
        { "recency 7 days", new RecencyRule(Duration.FromDays(7)), [0] },
        { "recency 30 days purchase", new RecencyRule(Duration.FromDays(30), TouchpointKind.Purchase), [0, 2] },
        { "recency 30 days service function", new RecencyRule(Duration.FromDays(30), function: CrmFunction.Service), [0] },
        { "channel email", new ChannelUsedRule(Duration.FromDays(30), new ChannelId("email")), [0] },
        { "channel web in 9 days", new ChannelUsedRule(Duration.FromDays(9), new ChannelId("web")), [] },
        { "consent marketing email (c5 withdrew)", new ContactConsentRule(ConsentPurpose.Marketing, new ChannelId("email"), ContactPointKind.Email), [0] },
        { "consent marketing sms (no phone)", new ContactConsentRule(ConsentPurpose.Marketing, new ChannelId("sms"), ContactPointKind.Phone), [] },
        { "household", new HasRelationshipRule("household"), [0, 5] },
        { "employment", new HasRelationshipRule("employment"), [] },
        { "clv > 100", new ScoreRule("clv", SegmentComparison.GreaterThan, 100m), [1] },
        { "clv >= 100", new ScoreRule("clv", SegmentComparison.GreaterThanOrEqual, 100m), [1, 2] },
        { "clv = 150", new ScoreRule("clv", SegmentComparison.Equal, 150m), [1] },
        { "person and vip and tier exists", SegmentRule.And(new PartyKindRule(PartyKind.Person), new HasTagRule(new CustomerTag("vip")), AttributeRule.Exists("tier")), [0, 1] },
        { "spend or clv", SegmentRule.Or(new SpendRule(Duration.FromDays(365), new Money(50m, Currency.EUR)), new ScoreRule("clv", SegmentComparison.GreaterThan, 100m)), [0, 1, 2] },
        { "five clauses", SegmentRule.And(new PartyKindRule(PartyKind.Person), new HasTagRule(new CustomerTag("vip")), new LifecycleStageRule(Active), AttributeRule.Compare("tier", SegmentComparison.GreaterThanOrEqual, N(3)), new SpendRule(Duration.FromDays(365), new Money(50m, Currency.EUR))), [0] },
    };

    [Theory]
    [MemberData(nameof(Clauses))]
    public async Task Clause_SelectsTheHandComputedMembers(string name, SegmentRule rule, int[] expected)
    {
        _ = name;
        Assert.Equal(expected, await new SegmentFixture().MembersAsync(rule));
    }

    [Theory]
    [MemberData(nameof(Clauses))]
    public async Task Clause_SelectsTheSameMembers_WithoutTheScanCapability(string name, SegmentRule rule, int[] expected)
    {
        _ = name;
        Assert.Equal(expected, await new SegmentFixture(scanStore: false).MembersAsync(rule));
    }

    [Fact]
    public async Task References_EvaluateTheOtherSegment_AndRelatedToSegment_FollowsRelationships()
    {
        var fixture = new SegmentFixture();
        await fixture.Service.DefineAsync(Tenant, new SegmentId("vip"), "VIP", new HasTagRule(new CustomerTag("vip")), 0);
        await fixture.Service.DefineAsync(Tenant, new SegmentId("orgs"), "Organisations", new PartyKindRule(PartyKind.Organization), 0);

        Assert.Equal(new[] { 0, 1, 5 }, await fixture.MembersAsync(new InSegmentRule(new SegmentId("vip"))));
        Assert.Equal(new[] { 0, 5 }, await fixture.MembersAsync(new RelatedToSegmentRule("household", new SegmentId("vip"))));
        Assert.Empty(await fixture.MembersAsync(new RelatedToSegmentRule("household", new SegmentId("orgs"))));
        Assert.Equal(new[] { 1, 5 }, await fixture.MembersAsync(SegmentRule.And(new InSegmentRule(new SegmentId("vip")), SegmentRule.Not(AttributeRule.Compare("city", SegmentComparison.Equal, T("London"))))));
    }

    [Fact]
    public async Task AsOf_SeesTheStateOfThatInstant()
    {
        var fixture = new SegmentFixture();
        var later = AsOf + Duration.FromDays(2);

        // After day 31 c4 is active and its 500 EUR purchase counts; c3 (registered day 40) is still out.
        Assert.Equal(new[] { 0, 1, 4 }, await fixture.MembersAsync(new LifecycleStageRule(Active), later));
        Assert.Equal(new[] { 0, 2, 4 }, await fixture.MembersAsync(new SpendRule(Duration.FromDays(365), new Money(50m, Currency.EUR)), later));
        // Before c0's day-2 grant it may not be contacted; c5 may between its grant (day 1) and withdrawal (day 3).
        Assert.Equal(new[] { 5 }, await fixture.MembersAsync(new ContactConsentRule(ConsentPurpose.Marketing, new ChannelId("email"), ContactPointKind.Email), Base + Duration.FromDays(1.5)));
    }

    [Fact]
    public async Task Define_Versions_Evaluate_Count_Freeze()
    {
        var fixture = new SegmentFixture();
        var id = new SegmentId("vip");
        var v1 = await fixture.Service.DefineAsync(Tenant, id, "VIP", new HasTagRule(new CustomerTag("vip")), 0, "our best");
        var v2 = await fixture.Service.DefineAsync(Tenant, id, "VIP people", SegmentRule.And(new HasTagRule(new CustomerTag("vip")), AttributeRule.Exists("tier")), 1);

        Assert.Equal((1, 2, fixture.Clock.GetCurrentInstant()), (v1.Version, v2.Version, v2.DefinedAt));
        Assert.Equal(v1.Rule, (await fixture.Service.FindAsync(Tenant, id, 1))!.Rule);
        Assert.Equal([fixture.Ids[0], fixture.Ids[1]], await fixture.Service.EvaluateAsync(Tenant, id, AsOf).ToListAsync());
        Assert.Equal(2, await fixture.Service.CountAsync(Tenant, id, AsOf));

        var snapshot = await fixture.Service.FreezeAsync(Tenant, id, AsOf);

        Assert.Equal((2, AsOf, fixture.Clock.GetCurrentInstant(), 2), (snapshot.Version, snapshot.AsOf, snapshot.EvaluatedAt, snapshot.Count));
        Assert.True(snapshot.Contains(fixture.Ids[1]));
        Assert.Same(snapshot, await fixture.Segments.FindLatestSnapshotAsync(Tenant, id, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await fixture.Service.DefineAsync(Tenant, id, "stale", new HasTagRule(new CustomerTag("x")), 1));
        Assert.Equal(2, (await fixture.Service.FindAsync(Tenant, id))!.Version);
    }

    [Fact]
    public async Task TouchpointFacts_AreReadOnlyForCustomersEveryCheaperClauseKept()
    {
        var fixture = new SegmentFixture(scanStore: false);
        var store = (TimelineOnlyTouchpointStore)fixture.Touchpoints;
        var spend = new SpendRule(Duration.FromDays(365), new Money(50m, Currency.EUR));

        // Written spend-first, evaluated tag-first: only the VIPs (c0, c1, c5) have their touchpoints read, once each.
        Assert.Equal(new[] { 0 }, await fixture.MembersAsync(SegmentRule.And(spend, new HasTagRule(new CustomerTag("vip")))));
        Assert.Equal(new[] { fixture.Ids[0], fixture.Ids[1], fixture.Ids[5] }, store.CustomersRead.Order());

        store.CustomersRead.Clear();
        Assert.Empty(await fixture.MembersAsync(SegmentRule.And(spend, new RecencyRule(Duration.FromDays(7)), new HasTagRule(new CustomerTag("nobody")))));
        Assert.Empty(store.CustomersRead);
    }

    [Fact]
    public async Task Evaluation_StreamsInIdOrder_PageByPage()
    {
        var fixture = new SegmentFixture();
        var members = await fixture.MembersAsync(new PartyKindRule(PartyKind.Person));

        Assert.Equal(members.Order(), members);
        Assert.Equal(4, fixture.Customers.PagesRead); // six customers in pages of two: three full pages and an empty one
    }

    public static TheoryData<string, SegmentRule, string> Refused() => new()
    {
        { "unknown attribute", AttributeRule.Exists("tierr"), CrmErrorCodes.SegmentUnknownAttribute },
        { "unknown attribute deep inside", SegmentRule.Or(new PartyKindRule(PartyKind.Person), SegmentRule.Not(AttributeRule.Exists("nope"))), CrmErrorCodes.SegmentUnknownAttribute },
        { "unknown score", new ScoreRule("p-alive", SegmentComparison.GreaterThan, 0.5m), CrmErrorCodes.SegmentUnknownScore },
        { "number compared with text", AttributeRule.Compare("tier", SegmentComparison.Equal, T("5")), CrmErrorCodes.SegmentTypeMismatch },
        { "text ordered", AttributeRule.Compare("city", SegmentComparison.LessThan, T("M")), CrmErrorCodes.SegmentTypeMismatch },
        { "date in with numbers", AttributeRule.In("vip-since", [N(1)]), CrmErrorCodes.SegmentTypeMismatch },
        { "unknown segment", new InSegmentRule(new SegmentId("ghost")), CrmErrorCodes.SegmentUnknownReference },
        { "unknown related segment", new RelatedToSegmentRule("household", new SegmentId("ghost")), CrmErrorCodes.SegmentUnknownReference },
        { "self reference", new InSegmentRule(new SegmentId("me")), CrmErrorCodes.SegmentCycle },
        { "too many clauses", SegmentRule.And(Enumerable.Range(0, SegmentRule.MaxClauses).Select(i => (SegmentRule)new HasTagRule(new CustomerTag($"t{i}")))), CrmErrorCodes.SegmentRuleTooLarge },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Define_RefusesBadRules_WithTheirCode_AndStoresNothing(string name, SegmentRule rule, string code)
    {
        _ = name;
        var fixture = new SegmentFixture();

        var e = await Assert.ThrowsAsync<SegmentRuleException>(async () => await fixture.Service.DefineAsync(Tenant, new SegmentId("me"), "Me", rule, 0));

        Assert.Equal(code, e.ErrorCode);
        Assert.Null(await fixture.Segments.FindAsync(Tenant, new SegmentId("me"), null, default));
        Assert.DoesNotContain("@", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Define_RefusesACycleThroughOtherSegments()
    {
        var fixture = new SegmentFixture();
        await fixture.Service.DefineAsync(Tenant, new SegmentId("a"), "A", new HasTagRule(new CustomerTag("vip")), 0);
        await fixture.Service.DefineAsync(Tenant, new SegmentId("b"), "B", new InSegmentRule(new SegmentId("a")), 0);
        await fixture.Service.DefineAsync(Tenant, new SegmentId("c"), "C", new RelatedToSegmentRule("household", new SegmentId("b")), 0);

        var e = await Assert.ThrowsAsync<SegmentRuleException>(async () => await fixture.Service.DefineAsync(Tenant, new SegmentId("a"), "A", new InSegmentRule(new SegmentId("c")), 1));

        Assert.Equal(CrmErrorCodes.SegmentCycle, e.ErrorCode);
        Assert.Equal(1, (await fixture.Segments.FindAsync(Tenant, new SegmentId("a"), null, default))!.Version);
    }

    [Fact]
    public async Task UndefinedSegment_IsRefused_WhenEvaluatedCountedOrFrozen()
    {
        var fixture = new SegmentFixture();
        var ghost = new SegmentId("ghost");

        Assert.Equal(CrmErrorCodes.SegmentNotFound, (await Assert.ThrowsAsync<SegmentRuleException>(async () => await fixture.Service.EvaluateAsync(Tenant, ghost, AsOf).ToListAsync())).ErrorCode);
        Assert.Equal(CrmErrorCodes.SegmentNotFound, (await Assert.ThrowsAsync<SegmentRuleException>(async () => await fixture.Service.CountAsync(Tenant, ghost, AsOf))).ErrorCode);
        Assert.Equal(CrmErrorCodes.SegmentNotFound, (await Assert.ThrowsAsync<SegmentRuleException>(async () => await fixture.Service.FreezeAsync(Tenant, ghost, AsOf))).ErrorCode);
    }

    [Fact]
    public void Service_WithScoresDeclared_NeedsAScoreSource()
    {
        var fixture = new SegmentFixture();
        Assert.Throws<ArgumentException>(() => new Services.Segments.SegmentService(fixture.Segments, fixture.Customers, fixture.Touchpoints, fixture.Clock, new Services.Segments.SegmentServiceOptions { Vocabulary = Vocabulary }));
    }
}
