using CrmKernel.Customers;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Segments;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Segments.SegmentFixture;

namespace CrmKernel.Tests.Segments;

/// <summary>The customer-base models' figures serve segment score clauses.</summary>
public sealed class CustomerBaseScoresTests
{
    [Fact]
    public async Task Scores_ServeSegmentRules_ByName()
    {
        var fixture = new SegmentFixture();
        var ids = fixture.Ids;
        var scores = new CustomerBaseScores(
            Tenant,
            [
                new CustomerValuation(ids[0], 0.9, 3.0, 2.5, new Money(40m, Currency.EUR), new Money(600m, Currency.EUR)),
                new CustomerValuation(ids[1], 0.2, 0.4, 0.3, new Money(90m, Currency.EUR), new Money(800m, Currency.EUR)),
                new CustomerValuation(ids[2], 0.25, 0.1, 0.1, new Money(10m, Currency.EUR), new Money(20m, Currency.EUR)),
            ],
            [new RfmScore(ids[0], 5, 4, 3), new RfmScore(ids[4], 1, 1, 1)]);
        var service = new SegmentService(fixture.Segments, fixture.Customers, fixture.Touchpoints, fixture.Clock, new SegmentServiceOptions { Vocabulary = new SegmentVocabulary([], CustomerBaseScores.Names) }, scores: scores);

        async Task<int[]> Members(SegmentRule rule) => [.. (await service.PreviewAsync(Tenant, rule, AsOf).ToListAsync()).Select(id => Array.IndexOf(ids, id))];

        // Worth winning back: probably lapsing (p-alive < 0.3) but valuable (clv >= 500): c1 only.
        Assert.Equal(new[] { 1 }, await Members(SegmentRule.And(new ScoreRule(CustomerBaseScores.ProbabilityAlive, SegmentComparison.LessThan, 0.3m), new ScoreRule(CustomerBaseScores.LifetimeValue, SegmentComparison.GreaterThanOrEqual, 500m))));
        Assert.Equal(new[] { 0 }, await Members(new ScoreRule(CustomerBaseScores.ExpectedTransactions, SegmentComparison.GreaterThan, 1m)));
        Assert.Equal(new[] { 0 }, await Members(new ScoreRule(CustomerBaseScores.RfmCell, SegmentComparison.Equal, 543m)));
        Assert.Equal(new[] { 0, 4 }, await Members(new ScoreRule(CustomerBaseScores.RfmCell, SegmentComparison.GreaterThanOrEqual, 111m)));

        var other = new decimal?[1];
        await scores.ReadScoresAsync(new TenantId("other"), CustomerBaseScores.LifetimeValue, [ids[0]], AsOf, other, default);
        Assert.Null(other[0]);
        await Assert.ThrowsAsync<ArgumentException>(async () => await scores.ReadScoresAsync(Tenant, "nps", [ids[0]], AsOf, other, default));
        Assert.Throws<ArgumentException>(() => new CustomerBaseScores(Tenant, [new CustomerValuation(ids[0], 1, 1, 1, Money.Zero(Currency.EUR), Money.Zero(Currency.EUR)), new CustomerValuation(ids[0], 1, 1, 1, Money.Zero(Currency.EUR), Money.Zero(Currency.EUR))]));
    }
}
