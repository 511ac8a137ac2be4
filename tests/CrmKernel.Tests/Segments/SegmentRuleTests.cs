using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Testing.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Segments;

/// <summary>The rule model's invariants and bad inputs, the vocabulary, definitions and snapshots.</summary>
public sealed class SegmentRuleTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 3, 1, 9, 0);

    private static SegmentRule EveryClause() => Kit.Every;

    [Fact]
    public void Text_NamesTheTree_AndEqualityFollowsIt()
    {
        var rule = SegmentRule.And(new PartyKindRule(PartyKind.Person), SegmentRule.Not(new HasTagRule(new CustomerTag("churned"))), new SpendRule(Duration.FromDays(365), new Money(100m, Currency.EUR)));

        Assert.Equal("and(kind(person), not(tag(churned)), spend(>= 100 EUR in 365:00:00:00))", rule.ToString());
        Assert.Equal(rule, SegmentRule.And(new PartyKindRule(PartyKind.Person), SegmentRule.Not(new HasTagRule(new CustomerTag("churned"))), new SpendRule(Duration.FromDays(365), new Money(100m, Currency.EUR))));
        Assert.NotEqual(rule, SegmentRule.Or(rule.Children));
        Assert.Equal((5, 3), (rule.CountClauses(), EveryClause().Depth()));
        Assert.Equal([new SegmentId("b2b:smb"), new SegmentId("lapsed-vip")], EveryClause().References());
    }

    [Fact]
    public void BadClauses_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => SegmentRule.And());
        Assert.Throws<ArgumentNullException>(() => SegmentRule.Or(null!));
        Assert.Throws<ArgumentNullException>(() => SegmentRule.And(new HasTagRule(new CustomerTag("a")), null!));
        Assert.ThrowsAny<ArgumentException>(() => new PartyKindRule((PartyKind)9));
        Assert.Throws<ArgumentException>(() => new HasTagRule(default));
        Assert.Throws<ArgumentException>(() => new InSegmentRule(default));
        Assert.Throws<ArgumentException>(() => AttributeRule.Exists("9lives"));
        Assert.Throws<ArgumentException>(() => new AttributeRule("tier", SegmentComparison.Exists, [CustomAttributeValue.FromNumber(1)]));
        Assert.Throws<ArgumentException>(() => new AttributeRule("tier", SegmentComparison.Equal, []));
        Assert.Throws<ArgumentException>(() => AttributeRule.In("tier", []));
        Assert.Throws<ArgumentException>(() => AttributeRule.In("tier", [CustomAttributeValue.FromNumber(1), CustomAttributeValue.FromText("1")]));
        Assert.Throws<ArgumentException>(() => new LifecycleStageRule());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeInStageRule(SegmentBound.AtLeast, Duration.FromDays(-1)));
        Assert.ThrowsAny<ArgumentException>(() => new TimeInStageRule((SegmentBound)3, Duration.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecencyRule(Duration.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecencyRule(Duration.FromDays(3661)));
        Assert.Throws<ArgumentException>(() => new RecencyRule(Duration.FromDays(1), default(TouchpointKind)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TouchpointCountRule(Duration.FromDays(1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpendRule(Duration.FromDays(1), new Money(-1m, Currency.EUR)));
        Assert.Throws<ArgumentException>(() => new ChannelUsedRule(Duration.FromDays(1), default));
        Assert.Throws<ArgumentException>(() => new ScoreRule("clv", SegmentComparison.In, 1m));
        Assert.Throws<ArgumentException>(() => new ScoreRule("not a slug!", SegmentComparison.Equal, 1m));
        Assert.Throws<ArgumentException>(() => new HasRelationshipRule(" "));
    }

    [Fact]
    public void Definition_ChecksItsParts()
    {
        var rule = new HasTagRule(new CustomerTag("vip"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentDefinition(new SegmentId("s"), 0, "S", rule, At));
        Assert.Throws<ArgumentException>(() => new SegmentDefinition(new SegmentId("s"), 1, " ", rule, At));
        Assert.Throws<ArgumentException>(() => new SegmentDefinition(default, 1, "S", rule, At));
        SegmentRule deep = rule;
        for (var i = 0; i < SegmentRule.MaxDepth; i++)
        {
            deep = SegmentRule.Not(deep);
        }

        Assert.Equal(CrmErrorCodes.SegmentRuleTooLarge, Assert.Throws<SegmentRuleException>(() => new SegmentDefinition(new SegmentId("s"), 1, "S", deep, At)).ErrorCode);
        Assert.Equal("s v1", new SegmentDefinition(new SegmentId("s"), 1, "S", rule, At).ToString());
    }

    [Fact]
    public void Vocabulary_RefusesDuplicatesAndBadNames()
    {
        Assert.Throws<ArgumentException>(() => new SegmentVocabulary([KeyValuePair.Create("a", CustomAttributeType.Text), KeyValuePair.Create("a", CustomAttributeType.Number)]));
        Assert.ThrowsAny<ArgumentException>(() => new SegmentVocabulary([KeyValuePair.Create("a", (CustomAttributeType)99)]));
        Assert.Throws<ArgumentException>(() => new SegmentVocabulary([], ["clv", "CLV"]));
        Assert.Throws<ArgumentException>(() => new SegmentVocabulary([], ["bad score!"]));
        var money = new SegmentVocabulary([KeyValuePair.Create("limit", CustomAttributeType.Money), KeyValuePair.Create("opted", CustomAttributeType.Boolean)]);
        money.Check(AttributeRule.Compare("limit", SegmentComparison.GreaterThan, CustomAttributeValue.FromMoney(new Money(1m, Currency.EUR))));
        Assert.Equal(CrmErrorCodes.SegmentTypeMismatch, Assert.Throws<SegmentRuleException>(() => money.Check(AttributeRule.Compare("opted", SegmentComparison.GreaterThan, CustomAttributeValue.FromBoolean(true)))).ErrorCode);
    }

    [Fact]
    public void Snapshot_KeepsMembersSortedAndDistinct_AndPagesThem()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => CustomerId.New()).Order().ToArray();
        var snapshot = new SegmentSnapshot(new TenantId("t"), new SegmentId("s"), 3, At, At, [ids[3], ids[1], ids[3], ids[0]]);

        Assert.Equal([ids[0], ids[1], ids[3]], snapshot.Members);
        Assert.True(snapshot.Contains(ids[1]));
        Assert.False(snapshot.Contains(ids[2]));
        Assert.Equal([ids[1], ids[3]], snapshot.MembersAfter(ids[0], 5));
        Assert.Equal([ids[3]], snapshot.MembersAfter(ids[2], 5));
        Assert.Equal([ids[0]], snapshot.MembersAfter(null, 1));
        Assert.Empty(snapshot.MembersAfter(ids[4], 5));
        Assert.Equal("s v3 (3 members)", snapshot.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.MembersAfter(null, 0));
        Assert.Throws<ArgumentException>(() => new SegmentSnapshot(new TenantId("t"), new SegmentId("s"), 1, At, At, [default(CustomerId)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentSnapshot(new TenantId("t"), new SegmentId("s"), 0, At, At, []));
        Assert.Throws<ArgumentException>(() => new SegmentSnapshot(default, new SegmentId("s"), 1, At, At, []));
        Assert.Throws<ArgumentNullException>(() => new SegmentSnapshot(new TenantId("t"), new SegmentId("s"), 1, At, At, null!));
    }

    /// <summary>Reaches the kit's every-clause rule (abstract, so xUnit runs none of the kit's scenarios here).</summary>
    private abstract class Kit : SegmentStoreConformanceTests
    {
        public static SegmentRule Every => EveryClause();
    }
}
