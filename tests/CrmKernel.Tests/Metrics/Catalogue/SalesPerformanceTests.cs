using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Tests.Sales;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.Catalogue;

/// <summary>
/// The sales metrics pinned on nine hand-made deals for March 2026, in EUR with GBP at 1.2, in a zone without DST (UTC)
/// and in London, where the clocks go forward on 29 March: March ends at 31 March 23:00 UTC there, so deal D, won at
/// 23:30 UTC (00:30 on 1 April in London), was won in March in UTC but still open at March's end in London.
/// The pipeline is <see cref="SalesTestData.Pipeline"/>: qualify 0.1 pipeline, propose 0.4 best case, negotiate 0.7 commit, verbal 0.9 commit.
/// </summary>
public sealed class SalesPerformanceTests
{
    internal static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    internal static readonly DateInterval March = new(new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 31));
    private static readonly SalesPipeline Pipeline = SalesTestData.Pipeline;

    // Cycle days of the deals won: A 1 Feb 09:00 → 10 Mar 12:00 = 37.125; B 21 Mar 22:30 → 31 Mar 22:30 = 10; D 1 Feb 09:00 → 31 Mar 23:30 = 58 + 14.5/24.
    private const decimal CycleA = 37.125m, CycleB = 10m;
    private static readonly decimal CycleD = 58m + (14.5m / 24m);

    [Fact]
    public async Task InUtc_DealDIsWonInMarch_AndEveryFigureIsTheHandComputedOne()
    {
        var result = await SalesPerformance.ComputeAsync(Deals(), [Pipeline], March, DateTimeZone.Utc, Converter());

        // Closed in March: A won 1,000; B won £500 = 600; D won 9,999; C lost 400 (reopened on 5 April: lost at March's end). H was lost in February.
        Assert.Equal(3, result.Won);
        Assert.Equal(1, result.Lost);
        Assert.Equal(0.75m, result.WinRateByCount.Value);
        Assert.Equal(11_599m / 11_999m, result.WinRateByValue.Value);
        Assert.Equal(11_599m / 3m, result.AverageDealSize.Value);
        Assert.Equal((CycleA + CycleB + CycleD) / 3m, result.SalesCycleDays.Value!.Value, 20);

        // Open at March's end: E 2,000 in negotiate (0.7), F £250 = 300 in propose (0.4: its latest stage, verbal 0.9, was entered on 10 April), G 700 in qualify (0.1).
        Assert.Equal(3, result.OpenDeals);
        Assert.Equal(3_000m, result.PipelineValue.Value);
        Assert.Equal(1_400m + 120m + 70m, result.WeightedPipelineValue.Value);

        // Forecast: E (commit, expected 20 March) and F (best case, expected 31 March); G is expected on 1 April. Closed = won.
        Assert.Equal(0m, result.Forecast[ForecastCategory.Pipeline].Value);
        Assert.Equal(300m, result.Forecast[ForecastCategory.BestCase].Value);
        Assert.Equal(2_000m, result.Forecast[ForecastCategory.Commit].Value);
        Assert.Equal(11_599m, result.Forecast[ForecastCategory.Closed].Value);

        // Velocity = 3 open × 0.75 × 11,599/3 ÷ ((37.125 + 10 + D) / 3) days.
        Assert.Equal(3m * 0.75m * (11_599m / 3m) / ((CycleA + CycleB + CycleD) / 3m), result.PipelineVelocity.Value!.Value, 18);

        // Stage entries in March: B into qualify (won: advanced), E into negotiate, F into propose (verbal only in April).
        Assert.Equal(1m / 3m, result.StageConversion.Value);
        Assert.Equal([("qualify", 1m), ("propose", 0m), ("negotiate", 0m)], Rows(result.StageConversion));

        // Visits ended in March: qualify — B 10, C 42 + 1/24 (lost 15 Mar 10:00), D 58 + 14.5/24, E 32 (moved 5 Mar); propose — A 23.125 (15 Feb → won 10 Mar).
        var qualify = CycleB + 42m + (1m / 24m) + CycleD + 32m;
        Assert.Equal((qualify + 23.125m) / 5m, result.TimeInStage.Value!.Value, 20);
        var rows = Rows(result.TimeInStage);
        Assert.Equal(["qualify", "propose"], rows.Select(r => r.Stage));
        Assert.Equal(qualify / 4m, rows[0].Value, 20);
        Assert.Equal(23.125m, rows[1].Value);
    }

    [Fact]
    public async Task InLondon_MarchEndsAt23Utc_SoDealDIsStillOpenInQualify()
    {
        var result = await SalesPerformance.ComputeAsync(Deals(), [Pipeline], March, London, Converter());

        // Closed in March: A and B won (1,600), C lost (400). D is won at 00:30 on 1 April London time.
        Assert.Equal(2, result.Won);
        Assert.Equal(1, result.Lost);
        Assert.Equal(2m / 3m, result.WinRateByCount.Value);
        Assert.Equal(0.8m, result.WinRateByValue.Value);
        Assert.Equal(800m, result.AverageDealSize.Value);
        Assert.Equal(23.5625m, result.SalesCycleDays.Value);

        // Open at the end: D 9,999 (qualify 0.1, pipeline category, expected 31 March) besides E, F and G.
        Assert.Equal(4, result.OpenDeals);
        Assert.Equal(12_999m, result.PipelineValue.Value);
        Assert.Equal(999.9m + 1_400m + 120m + 70m, result.WeightedPipelineValue.Value);
        Assert.Equal(9_999m, result.Forecast[ForecastCategory.Pipeline].Value);
        Assert.Equal(300m, result.Forecast[ForecastCategory.BestCase].Value);
        Assert.Equal(2_000m, result.Forecast[ForecastCategory.Commit].Value);
        Assert.Equal(1_600m, result.Forecast[ForecastCategory.Closed].Value);

        // Velocity = 4 × 2/3 × 800 ÷ 23.5625.
        Assert.Equal(4m * 1_600m * 2m / (3m * 47.125m), result.PipelineVelocity.Value!.Value, 20);

        // D's qualify visit ends after March: four visits ended.
        var qualify = CycleB + 42m + (1m / 24m) + 32m;
        Assert.Equal((qualify + 23.125m) / 4m, result.TimeInStage.Value!.Value, 20);
        Assert.Equal(1m / 3m, result.StageConversion.Value);
    }

    [Fact]
    public async Task WithNoDeals_RatesHaveNoValue_AmountsAreZero()
    {
        var result = await SalesPerformance.ComputeAsync([], [Pipeline], March, London, Converter());

        Assert.False(result.WinRateByCount.HasValue);
        Assert.False(result.WinRateByValue.HasValue);
        Assert.False(result.AverageDealSize.HasValue);
        Assert.False(result.SalesCycleDays.HasValue);
        Assert.False(result.PipelineVelocity.HasValue);
        Assert.False(result.StageConversion.HasValue);
        Assert.False(result.TimeInStage.HasValue);
        Assert.Equal(0m, result.PipelineValue.Value);
        Assert.Equal(0m, result.WeightedPipelineValue.Value);
        Assert.Equal(0m, result.Forecast[ForecastCategory.Commit].Value);
    }

    [Fact]
    public async Task ADealWhosePipelineIsNotGiven_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await SalesPerformance.ComputeAsync(Deals(), [], March, London, Converter()));
        await Assert.ThrowsAsync<ArgumentException>(async () => await SalesPerformance.ComputeAsync(Deals(), [Pipeline, Pipeline], March, London, Converter()));
    }

    [Fact]
    public async Task AMissingRate_StopsTheComputation()
    {
        var converter = new CurrencyConverter(new FixedExchangeRateProvider([]), Currency.EUR);
        await Assert.ThrowsAsync<ExchangeRateNotFoundException>(async () => await SalesPerformance.ComputeAsync(Deals(), [Pipeline], March, London, converter));
    }

    internal static CurrencyConverter Converter()
        => new(new FixedExchangeRateProvider([new ExchangeRate(Currency.GBP, Currency.EUR, new LocalDate(2026, 1, 1), 1.2m)]), Currency.EUR);

    /// <summary>The nine deals by name (A to I), with the stage histories the class summary's figures come from.</summary>
    internal static List<Opportunity> Deals()
    {
        var feb1 = Instant.FromUtc(2026, 2, 1, 9, 0);
        var a = Deal("A", 1_000m, Currency.EUR, feb1, new LocalDate(2026, 3, 31));
        a.MoveToStage(Pipeline, "propose", Instant.FromUtc(2026, 2, 15, 9, 0), "rep", "demo booked");
        a.CloseWon(Instant.FromUtc(2026, 3, 10, 12, 0), "rep", "signed");
        var b = Deal("B", 500m, Currency.GBP, Instant.FromUtc(2026, 3, 21, 22, 30), new LocalDate(2026, 3, 31));
        b.CloseWon(Instant.FromUtc(2026, 3, 31, 22, 30), "rep", "signed");
        var c = Deal("C", 400m, Currency.EUR, feb1, new LocalDate(2026, 3, 31));
        c.CloseLost(Instant.FromUtc(2026, 3, 15, 10, 0), "rep", "no budget");
        c.Reopen(Pipeline, "propose", Instant.FromUtc(2026, 4, 5, 10, 0), "rep", "budget found");
        var d = Deal("D", 9_999m, Currency.EUR, feb1, new LocalDate(2026, 3, 31));
        d.CloseWon(Instant.FromUtc(2026, 3, 31, 23, 30), "rep", "signed");
        var e = Deal("E", 2_000m, Currency.EUR, feb1, new LocalDate(2026, 3, 20));
        e.MoveToStage(Pipeline, "negotiate", Instant.FromUtc(2026, 3, 5, 9, 0), "rep", "terms");
        var f = Deal("F", 250m, Currency.GBP, Instant.FromUtc(2026, 3, 2, 9, 0), new LocalDate(2026, 3, 31), "propose");
        f.MoveToStage(Pipeline, "verbal", Instant.FromUtc(2026, 4, 10, 9, 0), "rep", "verbal yes");
        var g = Deal("G", 700m, Currency.EUR, feb1, new LocalDate(2026, 4, 1));
        var h = Deal("H", 800m, Currency.EUR, feb1, new LocalDate(2026, 3, 31));
        h.CloseLost(Instant.FromUtc(2026, 2, 28, 10, 0), "rep", "went elsewhere");
        var i = Deal("I", 5_000m, Currency.EUR, Instant.FromUtc(2026, 4, 2, 9, 0), new LocalDate(2026, 4, 30));
        return [a, b, c, d, e, f, g, h, i];
    }

    private static List<(string Stage, decimal Value)> Rows(CrmKernel.Metrics.Definitions.MetricValue value)
        => [.. value.Breakdown.Select(r => (r.Key[(r.Key.IndexOf('/', StringComparison.Ordinal) + 1)..], r.Value.Value!.Value))];

    private static Opportunity Deal(string name, decimal amount, Currency currency, Instant opened, LocalDate expectedClose, string? stage = null)
    {
        var deal = Opportunity.Open(OpportunityId.New(), SalesTestData.Customer, Pipeline, name, "owner", currency, expectedClose, opened, "rep", stage);
        deal.AddLineItem("product-" + name, 1m, new Money(amount, currency), 0m, opened);
        return deal;
    }
}
