using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Tests.Sales;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>
/// Laws of <see cref="OpportunityScan"/> and the sales metrics over random deals (random legal stage histories around a
/// random period, in EUR and GBP, in UTC and London): rates lie in [0, 1]; the weighted pipeline never exceeds the
/// pipeline; per stage, advances never exceed entries; partial scans merged equal one scan; and each drill-down selection
/// selects exactly as many deals as its figure counts.
/// </summary>
public sealed class OpportunityScanProperties
{
    private static readonly SalesPipeline Pipeline = SalesTestData.Pipeline;
    private static readonly Instant Origin = Instant.FromUtc(2026, 3, 1, 0, 0);
    private static readonly DateTimeZone[] Zones = [DateTimeZone.Utc, DateTimeZoneProviders.Tzdb["Europe/London"]];

    [Property(MaxTest = 300)]
    public Property Rates_AreShares_AndTheWeightedPipelineNeverExceedsThePipeline()
        => Prop.ForAll(Tenants().ToArbitrary(), t =>
        {
            var figures = Scan(t.Deals, t.Period, t.Zone).ToFigures(Currency.EUR);
            var shares = new[] { StandardMetrics.WinRate, StandardMetrics.WinRateByValue, StandardMetrics.StageConversion }
                .Select(m => m.Formula.Compute(figures))
                .SelectMany(v => v.Breakdown.Select(r => r.Value).Append(v))
                .Where(v => v.HasValue)
                .All(v => v.Value is >= 0m and <= 1m);
            var weighted = figures.Values[StandardFigures.WeightedPipelineAmount];
            var pipeline = figures.Values[StandardFigures.PipelineAmount];
            figures.TryGetRows(StandardFigures.StageEntries, out var entries);
            figures.TryGetRows(StandardFigures.StageAdvances, out var advances);
            var stageOk = entries.Zip(advances).All(p => p.First.Key == p.Second.Key && p.Second.Value <= p.First.Value);
            var velocity = StandardMetrics.PipelineVelocity.Formula.Compute(figures);
            return (shares && weighted >= 0m && weighted <= pipeline && stageOk && (!velocity.HasValue || velocity.Value >= 0m))
                .Label($"weighted {weighted}, pipeline {pipeline}, stages ok {stageOk}, shares ok {shares}");
        });

    [Property(MaxTest = 200)]
    public Property Merge_OfRandomPartitions_EqualsOneScan()
    {
        var partitioned =
            from tenant in Tenants()
            from parts in Gen.Choose(1, 4)
            from assignment in Gen.Choose(0, parts - 1).ArrayOf(tenant.Deals.Count)
            from order in Gen.Shuffle(Enumerable.Range(0, parts))
            select (tenant, parts, assignment, order);
        return Prop.ForAll(partitioned.ToArbitrary(), p =>
        {
            var (t, parts, assignment, order) = p;
            var single = Scan(t.Deals, t.Period, t.Zone).ToFigures(Currency.EUR);
            var merged = new OpportunityScan(t.Period, t.Zone);
            foreach (var part in order)
            {
                merged.Merge(Scan(t.Deals.Where((_, i) => assignment[i] == part), t.Period, t.Zone));
            }

            var actual = merged.ToFigures(Currency.EUR);
            var differences = single.Values.Where(e => actual.Values[e.Key] != e.Value).Select(e => $"{e.Key}: {e.Value} vs {actual.Values[e.Key]}").ToList();
            var rowsEqual = single.Rows.All(r => r.Value.SequenceEqual(actual.Rows[r.Key])) && single.Rows.Count == actual.Rows.Count;
            return (differences.Count == 0 && rowsEqual).Label(string.Join(", ", differences) + (rowsEqual ? string.Empty : " rows differ"));
        });
    }

    [Property(MaxTest = 300)]
    public Property DrillDownSelections_SelectExactlyTheDealsTheFiguresCount()
        => Prop.ForAll(Tenants().ToArbitrary(), t =>
        {
            var scan = Scan(t.Deals, t.Period, t.Zone);
            var figures = scan.ToFigures(Currency.EUR).Values;
            var converted = (Func<Opportunity, decimal>)(d => d.Currency == Currency.GBP ? d.Amount.Amount * 1.2m : d.Amount.Amount);
            var closed = t.Deals.Where(d => scan.Selects(d, OpportunityScan.ClosedInPeriod)).ToList();
            var won = t.Deals.Where(d => scan.Selects(d, OpportunityScan.WonInPeriod)).ToList();
            var open = t.Deals.Where(d => scan.Selects(d, OpportunityScan.OpenAtEnd)).ToList();
            var entered = t.Deals.Count(d => scan.Selects(d, OpportunityScan.EnteredStage));
            var left = t.Deals.Count(d => scan.Selects(d, OpportunityScan.LeftStage));
            var velocity = t.Deals.Count(d => scan.Selects(d, OpportunityScan.Velocity));
            return (closed.Count == figures[StandardFigures.DealsClosed]
                    && won.Count == figures[StandardFigures.DealsWon]
                    && won.Sum(converted) == figures[StandardFigures.AmountWon]
                    && closed.Sum(converted) == figures[StandardFigures.AmountClosed]
                    && open.Count == figures[StandardFigures.OpenDeals]
                    && open.Sum(converted) == figures[StandardFigures.PipelineAmount]
                    && velocity == open.Count + closed.Count
                    && (entered > 0) == (figures[StandardFigures.StageEntries] > 0)
                    && entered <= figures[StandardFigures.StageEntries]
                    && (left > 0) == (figures[StandardFigures.StageVisits] > 0)
                    && left <= figures[StandardFigures.StageVisits])
                .Label($"closed {closed.Count}, won {won.Count}, open {open.Count}, entered {entered}, left {left}");
        });

    [Fact]
    public void Merge_OfAnotherPeriodOrItself_IsRefused()
    {
        var march = new OpportunityScan(new DateInterval(new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 31)), DateTimeZone.Utc);
        Assert.Throws<ArgumentException>(() => march.Merge(march));
        Assert.Throws<ArgumentException>(() => march.Merge(new OpportunityScan(new DateInterval(new LocalDate(2026, 4, 1), new LocalDate(2026, 4, 30)), DateTimeZone.Utc)));
        Assert.Throws<ArgumentException>(() => march.Merge(new OpportunityScan(march.Period, Zones[1])));
        Assert.Throws<ArgumentException>(() => march.Selects(SalesPerformanceTestsDeal(), "no-such-selection"));
    }

    private static Opportunity SalesPerformanceTestsDeal() => Catalogue.SalesPerformanceTests.Deals()[0];

    private static OpportunityScan Scan(IEnumerable<Opportunity> deals, DateInterval period, DateTimeZone zone)
    {
        var converter = Catalogue.SalesPerformanceTests.Converter();
        var scan = new OpportunityScan(period, zone);
        foreach (var deal in deals)
        {
            scan.AddAsync(deal, Pipeline, converter).AsTask().GetAwaiter().GetResult();
        }

        return scan;
    }

    /// <summary>Random deals with random legal histories (actions that break a rule are skipped), a random period and zone.</summary>
    private static Gen<(List<Opportunity> Deals, DateInterval Period, DateTimeZone Zone)> Tenants()
    {
        var action = from hours in Gen.Choose(0, 24 * 20) from kind in Gen.Choose(0, 5) from stage in Gen.Choose(0, 3) select (hours, kind, stage);
        var deal =
            from opened in Gen.Choose(-24 * 60, 24 * 60)
            from stage in Gen.Choose(0, 3)
            from price in Gen.Choose(1, 100_000)
            from gbp in ArbMap.Default.GeneratorFor<bool>()
            from expected in Gen.Choose(-40, 70)
            from actions in action.ListOf()
            select Build(Origin + Duration.FromHours(opened), stage, price / 100m, gbp ? Currency.GBP : Currency.EUR, expected, actions);
        return from deals in deal.ListOf()
               from startDay in Gen.Choose(-40, 30)
               from length in Gen.Choose(1, 40)
               from zone in Gen.Elements(Zones)
               let start = new LocalDate(2026, 3, 1).PlusDays(startDay)
               select (deals.ToList(), new DateInterval(start, start.PlusDays(length - 1)), zone);
    }

    private static Opportunity Build(Instant opened, int stage, decimal price, Currency currency, int expected, IEnumerable<(int Hours, int Kind, int Stage)> actions)
    {
        var deal = Opportunity.Open(OpportunityId.New(), SalesTestData.Customer, Pipeline, "deal", "owner", currency, new LocalDate(2026, 3, 1).PlusDays(expected), opened, "rep", SalesTestData.StageKeys[stage]);
        deal.AddLineItem("product", 1m, new Money(price, currency), 0m, opened);
        var at = opened;
        foreach (var (hours, kind, target) in actions)
        {
            at += Duration.FromHours(hours);
            var key = SalesTestData.StageKeys[target];
            try
            {
                _ = kind switch
                {
                    0 or 1 or 2 => deal.MoveToStage(Pipeline, key, at, "rep", "move"),
                    3 => deal.CloseWon(at, "rep", "won"),
                    4 => deal.CloseLost(at, "rep", "lost"),
                    _ => deal.Reopen(Pipeline, key, at, "rep", "reopen"),
                };
            }
            catch (SalesRuleException)
            {
                // An illegal action for the deal's state: skipped.
            }
        }

        return deal;
    }
}
