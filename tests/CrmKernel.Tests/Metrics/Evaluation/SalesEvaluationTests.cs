using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using CrmKernel.Tests.Metrics.Catalogue;
using CrmKernel.Tests.Sales;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>
/// The sales metrics evaluated by <see cref="MetricEvaluator"/> from the tenant's stored deals (the nine deals of
/// <see cref="SalesPerformanceTests"/>, March 2026 in London): the same values as <see cref="SalesPerformance"/>, driver
/// links in place, "no value" without a deal source, and a drill-down that streams exactly the deals each figure counted.
/// </summary>
public sealed class SalesEvaluationTests
{
    private static readonly TenantId Tenant = SalesTestData.Tenant;
    private static readonly FixedExchangeRateProvider Rates = new([new ExchangeRate(Currency.GBP, Currency.EUR, new LocalDate(2026, 1, 1), 1.2m)]);

    [Fact]
    public async Task Evaluation_GivesTheValuesOfSalesPerformance_ForEverySalesMetric()
    {
        var (evaluator, _) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request());
        var expected = await SalesPerformance.ComputeAsync(SalesPerformanceTests.Deals(), [SalesTestData.Pipeline], SalesPerformanceTests.March, SalesPerformanceTests.London, SalesPerformanceTests.Converter());

        Assert.Equal(expected.WinRateByCount.Value, evaluation[StandardMetrics.WinRate.Id].Value.Value);
        Assert.Equal(expected.WinRateByValue.Value, evaluation[StandardMetrics.WinRateByValue.Id].Value.Value);
        Assert.Equal(800m, evaluation[StandardMetrics.AverageDealSize.Id].Value.Value);
        Assert.Equal(23.5625m, evaluation[StandardMetrics.SalesCycleLength.Id].Value.Value);
        Assert.Equal(12_999m, evaluation[StandardMetrics.PipelineValue.Id].Value.Value);
        Assert.Equal(expected.WeightedPipelineValue.Value, evaluation[StandardMetrics.WeightedPipelineValue.Id].Value.Value);
        Assert.Equal(expected.PipelineVelocity.Value, evaluation[StandardMetrics.PipelineVelocity.Id].Value.Value);
        Assert.Equal(expected.StageConversion.Value, evaluation[StandardMetrics.StageConversion.Id].Value.Value);
        Assert.Equal(expected.TimeInStage.Value, evaluation[StandardMetrics.TimeInStage.Id].Value.Value);
        var forecast = evaluation[StandardMetrics.SalesForecast.Id].Value;
        Assert.Equal(9_999m + 300m + 2_000m + 1_600m, forecast.Value);
        Assert.Equal(["pipeline", "best-case", "commit", "closed"], forecast.Breakdown.Select(r => r.Key));

        // The per-stage breakdown, keyed by pipeline id and stage, in stage order.
        Assert.Equal(
            [$"{SalesTestData.Pipeline.Id}/qualify", $"{SalesTestData.Pipeline.Id}/propose", $"{SalesTestData.Pipeline.Id}/negotiate"],
            evaluation[StandardMetrics.StageConversion.Id].Value.Breakdown.Select(r => r.Key));

        // Drivers: win rate drives acquisitions and velocity.
        Assert.Contains(evaluation[StandardMetrics.Acquisitions.Id].Drivers, d => d.Link.Driver == StandardMetrics.WinRate.Id);
        Assert.Contains(evaluation[StandardMetrics.PipelineVelocity.Id].Drivers, d => d.Link.Driver == StandardMetrics.WinRate.Id);
        Assert.All(
            StandardMetrics.All.Where(m => m.Formula.Records?.Source == OpportunityMetricSource.SourceName),
            m => Assert.Equal(MetricLevel.OperationalProcess, m.Level));
    }

    [Fact]
    public async Task TheReport_ShowsCycleAndStageTimesInDays()
    {
        var (evaluator, _) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request());

        var text = CrmKernel.Metrics.Rendering.MetricReport.ToText(evaluation);

        Assert.Equal(MetricUnit.Days, StandardMetrics.SalesCycleLength.Unit);
        Assert.Contains("23.6 d", text, StringComparison.Ordinal);   // 23.5625 days
    }

    [Fact]
    public async Task Evaluation_OfThePreviousPeriod_JudgesTheDealsAtFebruarysEnd()
    {
        var (evaluator, _) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request());

        // At 1 March 00:00 (London = UTC then): H lost on 28 Feb; open: A (propose 0.4), C, D, E, G (qualify 0.1). B, F, I do not exist yet.
        var previous = evaluation[StandardMetrics.WeightedPipelineValue.Id].Previous!;
        Assert.Equal((1_000m * 0.4m) + ((400m + 9_999m + 2_000m + 700m) * 0.1m), previous.Value);
        Assert.Equal(0m, evaluation[StandardMetrics.WinRate.Id].Previous!.Value);
        Assert.Equal(1_000m + 400m + 9_999m + 2_000m + 700m, evaluation[StandardMetrics.PipelineValue.Id].Previous!.Value);
    }

    [Fact]
    public async Task WithoutADealSource_TheSalesMetricsHaveNoValue_SayingWhichFigureWasNotSupplied()
    {
        var evaluator = new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), Rates);
        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request());

        var winRate = evaluation[StandardMetrics.WinRate.Id].Value;
        Assert.False(winRate.HasValue);
        Assert.Equal("figure 'deals-won' was not supplied", winRate.Reason);
        Assert.False(evaluation[StandardMetrics.PipelineValue.Id].Value.HasValue);
        Assert.False(evaluation[StandardMetrics.StageConversion.Id].Value.HasValue);
        await Assert.ThrowsAsync<NotSupportedException>(async () => await evaluator.StreamOpportunitiesAsync(Tenant, evaluation, StandardMetrics.WinRate.Id).ToListAsync());
    }

    [Fact]
    public async Task WithoutADealSource_AnInputProviderCanSupplyTheDealFigures()
    {
        var inputs = new InMemoryMetricInputs();
        inputs.Set(Tenant, StandardFigures.DealsWon, SalesPerformanceTests.March, MetricInput.Number(3m));
        inputs.Set(Tenant, StandardFigures.DealsClosed, SalesPerformanceTests.March, MetricInput.Number(4m));
        var evaluator = new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), Rates, inputs);

        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request());

        Assert.Equal(0.75m, evaluation[StandardMetrics.WinRate.Id].Value.Value);
    }

    [Theory]
    [InlineData("win-rate", "ABC")]
    [InlineData("win-rate-by-value", "ABC")]
    [InlineData("average-deal-size", "AB")]
    [InlineData("sales-cycle-length", "AB")]
    [InlineData("pipeline-value", "DEFG")]
    [InlineData("weighted-pipeline-value", "DEFG")]
    [InlineData("pipeline-velocity", "ABCDEFG")]
    [InlineData("sales-forecast", "ABDEF")]
    [InlineData("stage-conversion", "BEF")]
    [InlineData("time-in-stage", "ABCE")]
    public async Task DrillDown_StreamsTheDealsTheFigureCounted(string metric, string names)
    {
        var (evaluator, _) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request());

        var deals = await evaluator.StreamOpportunitiesAsync(Tenant, evaluation, new MetricId(metric)).ToListAsync();

        Assert.Equal(names.Select(c => c.ToString()), deals.Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DrillDown_AddsUpToTheFigures()
    {
        var (evaluator, _) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request());
        var figures = evaluation.Figures.Values;

        var closed = await evaluator.StreamOpportunitiesAsync(Tenant, evaluation, StandardMetrics.WinRate.Id).ToListAsync();
        Assert.Equal(figures[StandardFigures.DealsClosed], closed.Count);
        Assert.Equal(figures[StandardFigures.DealsWon], closed.Count(d => d.Status == OpportunityStatus.Won && d.ClosedAt < End()));
        var open = await evaluator.StreamOpportunitiesAsync(Tenant, evaluation, StandardMetrics.PipelineValue.Id).ToListAsync();
        Assert.Equal(figures[StandardFigures.OpenDeals], open.Count);
        Assert.Equal(figures[StandardFigures.PipelineAmount], open.Sum(d => d.Currency == Currency.GBP ? d.Amount.Amount * 1.2m : d.Amount.Amount));
    }

    [Fact]
    public async Task PerSegment_OnlyTheMembersDealsAreCounted_AndDrilledInto()
    {
        var (evaluator, _) = await WorldAsync();
        var dealCustomers = SalesPerformanceTests.Deals().Select(d => d.CustomerId).Distinct().ToArray();
        var withTheBuyer = new CrmKernel.Segments.SegmentSnapshot(Tenant, new CrmKernel.Segments.SegmentId("buyers"), 1, Instant.MinValue, Instant.MinValue, dealCustomers);
        var withoutTheBuyer = new CrmKernel.Segments.SegmentSnapshot(Tenant, new CrmKernel.Segments.SegmentId("others"), 1, Instant.MinValue, Instant.MinValue, [CustomerId.New()]);
        var whole = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request());

        var members = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(SalesPerformanceTests.March, SalesPerformanceTests.London, Currency.EUR) { Segment = withTheBuyer });
        var others = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(SalesPerformanceTests.March, SalesPerformanceTests.London, Currency.EUR) { Segment = withoutTheBuyer });

        foreach (var figure in StandardFigures.FromDeals)
        {
            Assert.Equal(whole.Figures.Values.GetValueOrDefault(figure), members.Figures.Values.GetValueOrDefault(figure));
            Assert.Equal(0m, others.Figures.Values.GetValueOrDefault(figure));
        }

        Assert.True(whole.Figures.Values[StandardFigures.DealsClosed] > 0m);
        Assert.Equal(
            (await evaluator.StreamOpportunitiesAsync(Tenant, whole, StandardMetrics.WinRate.Id).ToListAsync()).Select(d => d.Id),
            (await evaluator.StreamOpportunitiesAsync(Tenant, members, StandardMetrics.WinRate.Id).ToListAsync()).Select(d => d.Id));
        Assert.Empty(await evaluator.StreamOpportunitiesAsync(Tenant, others, StandardMetrics.WinRate.Id).ToListAsync());
    }

    [Fact]
    public async Task DrillDown_OfAMetricNotFromDeals_IsNotSupported_AndTouchpointDrillDownRefusesDeals()
    {
        var (evaluator, _) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request());

        Assert.Throws<NotSupportedException>(() => evaluator.StreamOpportunitiesAsync(Tenant, evaluation, StandardMetrics.AverageOrderValue.Id));
        Assert.Throws<NotSupportedException>(() => evaluator.StreamTouchpointsAsync(Tenant, evaluation, StandardMetrics.WinRate.Id));
    }

    [Fact]
    public async Task ADealWhosePipelineIsNotStored_StopsTheEvaluation()
    {
        var sales = new InMemorySalesStore(new InMemoryCrmOutbox());
        var deal = SalesPerformanceTests.Deals()[0];
        await sales.CommitAsync(OpportunityCommit.Create(deal), default);
        var evaluator = new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), Rates, sources: [new OpportunityMetricSource(sales, sales)]);

        await Assert.ThrowsAsync<CrmKernel.Diagnostics.InvalidStoredStateException>(async () => await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), Request()));
    }

    [Fact]
    public void Sources_SharingANameOrAFigure_AreRefused()
    {
        var sales = new InMemorySalesStore(new InMemoryCrmOutbox());
        var customers = new InMemoryCustomerStore(new InMemoryCrmOutbox());
        var touchpoints = new InMemoryTouchpointStore();
        Assert.Throws<ArgumentException>(() => new MetricEvaluator(customers, touchpoints, Rates, sources: [new OpportunityMetricSource(sales, sales), new OpportunityMetricSource(sales, sales)]));
        Assert.Throws<ArgumentException>(() => new MetricEvaluator(customers, touchpoints, Rates, sources: [null!]));
        Assert.Throws<CrmKernel.Diagnostics.InputLimitExceededException>(() => new MetricEvaluator(customers, touchpoints, Rates, sources: Enumerable.Repeat<IMetricRecordSource>(new OpportunityMetricSource(sales, sales), MetricEvaluator.MaxRecordSources + 1)));
    }

    private static Instant End() => SalesPerformanceTests.London.AtStartOfDay(new LocalDate(2026, 4, 1)).ToInstant();

    private static MetricEvaluationRequest Request() => new(SalesPerformanceTests.March, SalesPerformanceTests.London, Currency.EUR);

    private static async Task<(MetricEvaluator Evaluator, InMemorySalesStore Sales)> WorldAsync()
    {
        var sales = new InMemorySalesStore(new InMemoryCrmOutbox());
        await sales.CommitAsync(SalesTestData.Pipeline, 0, default);
        foreach (var deal in SalesPerformanceTests.Deals())
        {
            await sales.CommitAsync(OpportunityCommit.Create(deal), default);
        }

        var evaluator = new MetricEvaluator(new InMemoryCustomerStore(new InMemoryCrmOutbox()), new InMemoryTouchpointStore(), Rates, sources: [new OpportunityMetricSource(sales, sales)]);
        return (evaluator, sales);
    }
}
