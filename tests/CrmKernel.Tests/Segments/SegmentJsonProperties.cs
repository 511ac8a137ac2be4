using CrmKernel.Diagnostics;
using CrmKernel.Segments;
using CrmKernel.Storage;
using CrmKernel.Testing.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Segments;

/// <summary>A generated rule over every kind of clause.</summary>
public sealed record AnyRule(SegmentRule Rule)
{
    public override string ToString() => Rule.ToString();
}

public static class AnyRuleArbitraries
{
    private static readonly SegmentRule[] Clauses = [.. Flatten(Kit.Every)];

    private static IEnumerable<SegmentRule> Flatten(SegmentRule rule)
        => rule.Children.Count == 0 ? [rule] : rule.Children.SelectMany(Flatten);

    private static Gen<SegmentRule> Tree(int depth)
    {
        var leaf = Gen.Elements(Clauses);
        if (depth <= 1)
        {
            return leaf;
        }

        var children = Gen.Choose(1, 3).SelectMany(n => Tree(depth - 1).ListOf(n));
        return Gen.Frequency(
            (3, leaf),
            (2, children.Select(cs => SegmentRule.And(cs))),
            (2, children.Select(cs => SegmentRule.Or(cs))),
            (1, Tree(depth - 1).Select(SegmentRule.Not)));
    }

    public static Arbitrary<AnyRule> Rules() => Gen.Choose(1, 4).SelectMany(Tree).Select(r => new AnyRule(r)).ToArbitrary();

    private abstract class Kit : SegmentStoreConformanceTests
    {
        public static SegmentRule Every => EveryClause();
    }
}

/// <summary>The JSON form of rules and definitions round-trips, and a damaged document is refused as invalid stored state.</summary>
public sealed class SegmentJsonProperties
{
    [Property(Arbitrary = new[] { typeof(AnyRuleArbitraries) }, MaxTest = 300)]
    public void Rule_RoundTrips(AnyRule rule)
    {
        var json = SegmentJson.WriteRule(rule.Rule);
        var read = SegmentJson.ReadRule("k", json);
        Assert.Equal(rule.Rule, read);
        Assert.Equal(json, SegmentJson.WriteRule(read));
    }

    [Property(Arbitrary = new[] { typeof(AnyRuleArbitraries) }, MaxTest = 50)]
    public void Definition_RoundTrips(AnyRule rule)
    {
        var definition = new SegmentDefinition(new SegmentId("s/1"), 3, "Name \"quoted\"", rule.Rule, Instant.FromUtc(2026, 3, 1, 9, 0, 1).PlusNanoseconds(5), "why");
        var read = SegmentJson.ReadDefinition("k", SegmentJson.WriteDefinition(definition));
        Assert.Equal((definition.Id, definition.Version, definition.DisplayName, definition.Description, definition.DefinedAt, definition.Rule), (read.Id, read.Version, read.DisplayName, read.Description, read.DefinedAt, read.Rule));
    }

    [Theory]
    [InlineData("{\"rule\":{\"op\":\"nope\"}}")]
    [InlineData("{\"rule\":{\"op\":\"kind\",\"kind\":\"Robot\"}}")]
    [InlineData("{\"rule\":{\"op\":\"and\",\"rules\":[]}}")]
    [InlineData("{\"rule\":{\"op\":\"attribute\",\"name\":\"tier\",\"comparison\":\"Equal\",\"type\":\"Number\",\"values\":[\"x\"]}}")]
    [InlineData("not json")]
    public void DamagedRule_IsInvalidStoredState(string document)
        => Assert.Equal(CrmErrorCodes.InvalidStoredState, Assert.Throws<InvalidStoredStateException>(() => SegmentJson.ReadRule("k", document)).ErrorCode);
}
