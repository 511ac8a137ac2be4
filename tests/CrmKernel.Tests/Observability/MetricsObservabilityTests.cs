using System.Diagnostics;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.CustomerBase;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Tests.Metrics.Evaluation;
using Microsoft.Extensions.Logging;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Observability;

public sealed class MetricsObservabilityTests
{
    [Fact]
    public async Task EvaluateAsync_EmitsAnEvaluationSpan_WithTenantPeriodCurrencyAndCounts()
    {
        var world = await MetricWorld.CreateAsync();
        var evaluator = new MetricEvaluator(world.Customers, world.Touchpoints, MetricWorld.Rates);
        var hierarchy = StandardMetrics.CreateHierarchy();
        using var spans = new SpanCollector();

        var evaluation = await evaluator.EvaluateAsync(MetricWorld.Tenant, hierarchy, new MetricEvaluationRequest(MetricWorld.January, DateTimeZone.Utc, Currency.GBP));

        var span = Assert.Single(spans.Named("crm.metrics.evaluate"));
        Assert.Equal(MetricWorld.Tenant.Value, span.GetTagItem("crm.tenant.id"));
        Assert.Equal("2026-01-01", span.GetTagItem("crm.period.start"));
        Assert.Equal("2026-01-31", span.GetTagItem("crm.period.end"));
        Assert.Equal("GBP", span.GetTagItem("crm.currency"));
        Assert.Equal(hierarchy.Metrics.Count, span.GetTagItem("crm.metrics.count"));
        Assert.Equal(evaluation.Results.Count, span.GetTagItem("crm.metrics.results"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task EvaluateAsync_ThatFails_EndsTheSpanWithErrorStatus()
    {
        var world = await MetricWorld.CreateAsync();
        var evaluator = new MetricEvaluator(world.Customers, world.Touchpoints, new FixedExchangeRateProvider([]));
        using var spans = new SpanCollector();

        await Assert.ThrowsAsync<ExchangeRateNotFoundException>(async () => await evaluator.EvaluateAsync(MetricWorld.Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(MetricWorld.January, DateTimeZone.Utc, Currency.GBP)));

        var span = Assert.Single(spans.Named("crm.metrics.evaluate"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(CrmErrorCodes.ExchangeRateNotFound, span.GetTagItem("crm.error.code"));
    }

    [Fact]
    public void Fit_EmitsAModelFitSpan_WithModelCountsAndConvergence()
    {
        var summary = CustomerBaseSummary.Create(Purchases(), Currency.EUR, DateTimeZone.Utc, new LocalDate(2026, 12, 31), SummaryTimeUnit.Weeks);
        var logs = new LogSink();
        using var spans = new SpanCollector();

        var fit = BgNbdModel.Fit(summary, logs.For<BgNbdModel>());

        var span = Assert.Single(spans.Named("crm.model.fit"));
        Assert.Equal("BG/NBD", span.GetTagItem("crm.model.name"));
        Assert.Equal(summary.Count, span.GetTagItem("crm.model.customers"));
        Assert.Equal(fit.Converged, span.GetTagItem("crm.model.converged"));
        Assert.Equal(fit.Issues.ToString(), span.GetTagItem("crm.model.issues"));
        Assert.Equal(fit.Iterations, span.GetTagItem("crm.model.iterations"));
        Assert.Equal(fit.Converged ? 0 : 1, logs.WithId(2001).Count);
    }

    [Fact]
    public void FitNotConverged_IsAWarning2001_WithModelIssuesAndIterations()
    {
        var logs = new LogSink();
        var fit = new ModelFit<BgNbdModel>(new BgNbdModel(1d, 1d, 1d, 1d), -10d, FitIssues.IterationLimit | FitIssues.FlatLikelihood, [], iterations: 20_000, customers: 50, distinctHistories: 12);

        Assert.Same(fit, MetricsTelemetry.Fitted(null, logs.For<BgNbdModel>(), "BG/NBD", fit));
        Assert.Same(fit, MetricsTelemetry.Fitted(null, null, "BG/NBD", fit));

        var entry = Assert.Single(logs.WithId(2001));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("ModelFitNotConverged", entry.EventId.Name);
        Assert.Equal("BG/NBD", entry["Model"]);
        Assert.Equal(20_000, entry["Iterations"]);
        Assert.Equal(FitIssues.IterationLimit | FitIssues.FlatLikelihood, entry["Issues"]);
        Assert.Contains("20000", entry.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<PurchaseRecord> Purchases()
    {
        var start = Instant.FromUtc(2026, 1, 1, 12, 0);
        for (var c = 0; c < 40; c++)
        {
            var id = new CustomerId(Guid.CreateVersion7());
            for (var k = 0; k <= c % 5; k++)
            {
                yield return new PurchaseRecord(id, start + Duration.FromDays((c * 3) + (k * 17)), Money.Of(10m + c, "EUR"));
            }
        }
    }
}
