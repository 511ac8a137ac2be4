using CrmKernel.Customers;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using CrmKernel.Metrics.Acquisition;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Metrics.Acquisition.AcquisitionTestData;

namespace CrmKernel.Tests.Metrics.Acquisition;

/// <summary>The catalogue's acquisition metrics, evaluated through the metric evaluator with the acquisition record source.</summary>
public sealed class AcquisitionMetricsTests
{
    private readonly Customer _ann = NewCustomer(), _ben = NewCustomer(), _cat = NewCustomer(), _eve = NewCustomer();

    /// <summary>Ann: 2 communications (1 + 3 GBP) then a purchase; Ben: 1 (2 GBP) then a purchase; Cat: 1 (5 GBP), no purchase; Eve: a direct purchase.</summary>
    private async Task<(MetricEvaluator Evaluator, AcquisitionMetricSource Source)> WorldAsync()
    {
        var (customers, touchpoints) = await StoreAsync([
            (_ann, [Touch(_ann.Id, Jan(2), "email", TouchpointKind.CampaignContact, cost: Money.Of(1m, "GBP")), Touch(_ann.Id, Jan(3), "phone", TouchpointKind.Enquiry, CrmFunction.Sales, cost: Money.Of(3m, "GBP")), Purchase(_ann.Id, Jan(4))]),
            (_ben, [Touch(_ben.Id, Jan(5), "email", TouchpointKind.CampaignContact, cost: Money.Of(2m, "GBP")), Purchase(_ben.Id, Jan(6))]),
            (_cat, [Touch(_cat.Id, Jan(5), "email", TouchpointKind.CampaignContact, cost: Money.Of(5m, "GBP"))]),
            (_eve, [Purchase(_eve.Id, Jan(7))]),
        ]);
        var source = new AcquisitionMetricSource(customers, touchpoints);
        return (new MetricEvaluator(customers, touchpoints, Rates, null, [source]), source);
    }

    [Fact]
    public async Task TheMetrics_EvaluateFromTheJourneys()
    {
        var (evaluator, _) = await WorldAsync();
        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP));
        Assert.Equal(2m / 3m, evaluation[StandardMetrics.ProspectConversionRate.Id].Value.Value);
        var cost = evaluation[StandardMetrics.JourneyAcquisitionCost.Id].Value;
        Assert.Equal(3m, cost.Value);
        Assert.Equal(["converters-only", "fully-loaded"], cost.Breakdown.Select(r => r.Key));
        Assert.Equal(5.5m, cost.Breakdown[1].Value.Value);
        Assert.Equal(1.5m, evaluation[StandardMetrics.CommunicationsPerConversion.Id].Value.Value);
    }

    [Fact]
    public async Task PerSegment_TheMetricsCountOnlyTheMembersJourneys()
    {
        var (evaluator, _) = await WorldAsync();
        // Ann (converted, 2 communications, 4 GBP) and Cat (reached, not converted): one of two converted.
        var segment = new CrmKernel.Segments.SegmentSnapshot(Tenant, new CrmKernel.Segments.SegmentId("ann-and-cat"), 1, Instant.MinValue, Instant.MinValue, [_ann.Id, _cat.Id]);
        var nobodyReached = new CrmKernel.Segments.SegmentSnapshot(Tenant, new CrmKernel.Segments.SegmentId("eve"), 1, Instant.MinValue, Instant.MinValue, [_eve.Id]);

        var evaluation = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP) { Segment = segment });
        var none = await evaluator.EvaluateAsync(Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP) { Segment = nobodyReached });

        Assert.Equal(0.5m, evaluation[StandardMetrics.ProspectConversionRate.Id].Value.Value);
        Assert.Equal(4m, evaluation[StandardMetrics.JourneyAcquisitionCost.Id].Value.Value);
        Assert.Equal(2m, evaluation[StandardMetrics.CommunicationsPerConversion.Id].Value.Value);
        Assert.Equal(0m, none.Figures.Values[StandardFigures.ProspectsReached]);
        Assert.Null(none[StandardMetrics.ProspectConversionRate.Id].Value.Value);
    }

    [Fact]
    public async Task AddMetrics_GivesTheEvaluatorTheAcquisitionSource()
    {
        // MetricWorld: only Carol is a prospect reached in January (an email campaign contact at 1.50 GBP and her
        // response), and she buys on 10 January; Alice and Bob bought in December, Dave and Erin had no communication.
        var world = await CrmKernel.Tests.Metrics.Evaluation.MetricWorld.CreateAsync();
        var services = new ServiceCollection();
        services.AddCrmKernel(kernel => kernel.AddMetrics().UseExchangeRates(Rates));
        services.AddSingleton<ICustomerStore>(world.Customers);
        services.AddSingleton<ITouchpointStore>(world.Touchpoints);
        using var provider = services.BuildServiceProvider();
        var evaluator = provider.GetRequiredService<MetricEvaluator>();
        var evaluation = await evaluator.EvaluateAsync(CrmKernel.Tests.Metrics.Evaluation.MetricWorld.Tenant, StandardMetrics.CreateHierarchy(), new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP));
        Assert.Equal(1m, evaluation[StandardMetrics.ProspectConversionRate.Id].Value.Value);
        Assert.Equal(1.50m, evaluation[StandardMetrics.JourneyAcquisitionCost.Id].Value.Value);
        Assert.Equal(2m, evaluation[StandardMetrics.CommunicationsPerConversion.Id].Value.Value);
    }

    [Fact]
    public async Task TheMetrics_AreAtTheirLevels()
    {
        Assert.Equal(MetricLevel.CustomerStrategic, StandardMetrics.ProspectConversionRate.Level);
        Assert.Equal(MetricLevel.CustomerStrategic, StandardMetrics.JourneyAcquisitionCost.Level);
        Assert.Equal(MetricLevel.OperationalProcess, StandardMetrics.CommunicationsPerConversion.Level);
        Assert.Contains(StandardMetrics.Causes, l => l.Driver == StandardMetrics.CommunicationsPerConversion.Id && l.Driven == StandardMetrics.JourneyAcquisitionCost.Id);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task TheDrillDown_StreamsTheJourneysTheFiguresCounted()
    {
        var (_, source) = await WorldAsync();
        var reached = await source.StreamAsync(Tenant, AcquisitionMetricSource.Reached, January, DateTimeZone.Utc, Currency.GBP, Rates).Select(j => j.CustomerId).ToListAsync();
        Assert.Equal(new[] { _ann.Id, _ben.Id, _cat.Id }.Order(), reached.Order());
        var converted = await source.StreamAsync(Tenant, AcquisitionMetricSource.Converted, January, DateTimeZone.Utc, Currency.GBP, Rates).ToListAsync();
        Assert.Equal(new[] { _ann.Id, _ben.Id }.Order(), converted.Select(j => j.CustomerId).Order());
        Assert.Equal(6m, converted.Sum(j => j.Cost));
        Assert.Equal("selection", Assert.Throws<ArgumentException>(() => source.StreamAsync(Tenant, "nope", January, DateTimeZone.Utc, Currency.GBP, Rates)).ParamName);
    }
}
