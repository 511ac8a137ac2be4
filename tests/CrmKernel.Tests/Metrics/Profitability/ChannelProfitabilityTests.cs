using CrmKernel.Channels;
using CrmKernel.ContactPoints;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Profitability;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Metrics.Profitability.MixWorld;

namespace CrmKernel.Tests.Metrics.Profitability;

/// <summary>
/// Channel-mix profitability on hand-computed January data (GBP; 100 EUR = 86 GBP). Rates: phone 5 per inbound contact,
/// 6 per service contact; web 0.50; email 0.10; under the scenario web chat costs 1 and 80 % of service contacts move from
/// phone to web chat.
/// <list type="bullet">
/// <item>A: a 100 GBP web purchase and 4 service calls (and one in December, outside the period): cost 0.50 + 24 = 24.50,
/// margin 75.50; scenario 0.8 × 6 + 3.2 × 1 + 0.50 = 8.50, margin 91.50.</item>
/// <item>B: a 20 EUR web purchase (17.20 GBP), 5 service calls, an outbound email costing 1.50 GBP recorded: cost 1.50 +
/// 0.50 + 30 + 0.10 = 32.10, margin −14.90; scenario 1.50 + 0.50 + 6 + 4 + 0.10 = 12.10, margin 5.10: recoverable, gain 20.</item>
/// <item>C: 10 service calls, no revenue: margin −60; scenario 12 + 8 = 20, margin −20: not recoverable.</item>
/// <item>D: nothing: margin 0, counted, not unprofitable.</item>
/// </list>
/// </summary>
public sealed class ChannelProfitabilityTests
{
    private static readonly ChannelId Phone = new("phone");
    private static readonly ChannelId Web = new("web");
    private static readonly ChannelId Email = new("email");
    private static readonly ChannelId Chat = new("web-chat");

    private static readonly ChannelCostModel Model = new ChannelCostModel(Currency.GBP)
        .WithRate(Phone, 5m, 3m)
        .WithFunctionRate(Phone, CrmFunction.Service, 6m)
        .WithRate(Web, 0.5m, 0.5m)
        .WithRate(Email, 0.1m, 0.1m);

    private static readonly ChannelMixScenario ToChat = new("service to web chat", [new ChannelMove(Phone, Chat, 0.8m, CrmFunction.Service)], Model.WithRate(Chat, 1m, 1m));

    [Fact]
    public async Task Report_PinsEveryFigure_PerCustomerAndPerSegment()
    {
        var (world, a, b, c, d) = await CreateAsync();
        var atRisk = Segment("at-risk", b, c);
        var request = new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model, ToChat, [atRisk]);
        var report = new ChannelProfitabilityReport(world.Customers, world.Touchpoints, Rates);

        var customers = new Dictionary<CustomerId, CustomerChannelProfit>();
        await foreach (var customer in report.StreamCustomersAsync(Tenant, request))
        {
            customers.Add(customer.Customer, customer);
        }

        Assert.Equal(4, customers.Count);
        var pa = customers[a];
        Assert.Equal((100m, 0m, 24.5m, 75.5m, 8.5m, 91.5m, 5L), (pa.Revenue, pa.RecordedCost, pa.ModelledCost, pa.Margin, pa.ScenarioModelledCost, pa.ScenarioMargin, pa.Contacts));
        Assert.Equal([Phone, Web], pa.Channels.Select(ch => ch.Channel));
        Assert.Equal([0.8m, 0.2m], pa.Channels.Select(ch => ch.Share));
        Assert.Equal([24m, 0.5m], pa.Channels.Select(ch => ch.CostToServe));
        var pb = customers[b];
        Assert.Equal((17.2m, 1.5m, 30.6m, 32.1m, -14.9m, 12.1m, 5.1m, 20m), (pb.Revenue, pb.RecordedCost, pb.ModelledCost, pb.CostToServe, pb.Margin, pb.ScenarioCostToServe, pb.ScenarioMargin, pb.Gain));
        Assert.True(pb.IsUnprofitable && pb.IsRecoverable);
        Assert.Equal([Email, Phone, Web], pb.Channels.Select(ch => ch.Channel));
        Assert.Equal(5m / 7m, pb.Channels[1].Share);
        Assert.Equal((-60m, -20m, false), (customers[c].Margin, customers[c].ScenarioMargin, customers[c].IsRecoverable));
        Assert.Equal((0m, 0m, 0L, false), (customers[d].Margin, customers[d].ScenarioMargin, customers[d].Contacts, customers[d].IsUnprofitable));

        var result = await report.RunAsync(Tenant, request);
        var all = result.All;
        Assert.Null(all.Segment);
        Assert.Equal((4L, 22L, 117.2m, 1.5m, 115.1m, 116.6m, 0.6m, 2L), (all.Customers, all.Contacts, all.Revenue, all.RecordedCost, all.ModelledCost, all.CostToServe, all.Margin, all.Unprofitable));
        Assert.Equal((39.1m, 40.6m, 76.6m, 1L, 1L), (all.ScenarioModelledCost, all.ScenarioCostToServe, all.ScenarioMargin, all.UnprofitableUnderScenario, all.Recoverable));
        Assert.Equal((29.15m, 0.15m, 0.5m, 0.25m), (all.CostToServePerCustomer, all.MarginPerCustomer, all.UnprofitableShare, all.UnprofitableShareUnderScenario));
        Assert.Equal(116.6m / 117.2m, all.CostToServeRatio);
        Assert.Equal([(Email, 1L), (Phone, 19L), (Web, 2L)], all.Channels.Select(ch => (ch.Channel, ch.Contacts)));
        var segment = result[atRisk.Segment];
        Assert.Same(segment, Assert.Single(result.Segments));
        Assert.Equal((2L, -74.9m, 2L, 1L, 46.05m, 1m), (segment.Customers, segment.Margin, segment.Unprofitable, segment.Recoverable, segment.CostToServePerCustomer, segment.UnprofitableShare));

        var recoverable = new List<CustomerChannelProfit>();
        await foreach (var customer in report.StreamRecoverableAsync(Tenant, request, atRisk.Segment))
        {
            recoverable.Add(customer);
        }

        Assert.Equal([b], recoverable.Select(r => r.Customer));
    }

    [Fact]
    public async Task Report_WithoutAScenario_HasScenarioFiguresEqualToTheCurrentOnes_AndAppliesTheGrossMarginRatio()
    {
        var (world, a, b, _, _) = await CreateAsync();
        var request = new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model, grossMarginRatio: 0.5m);
        var report = new ChannelProfitabilityReport(world.Customers, world.Touchpoints, Rates);

        var result = await report.RunAsync(Tenant, request);

        Assert.Equal(result.All.Margin, result.All.ScenarioMargin);
        Assert.Equal(result.All.ModelledCost, result.All.ScenarioModelledCost);
        Assert.Equal(0L, result.All.Recoverable);
        // Revenue × 0.5 − cost: A 50 − 24.50; B 8.60 − 32.10; C −60.
        Assert.Equal(25.5m - 23.5m - 60m, result.All.Margin);
        await foreach (var customer in report.StreamCustomersAsync(Tenant, request))
        {
            if (customer.Customer == a)
            {
                Assert.Equal(25.5m, customer.Margin);
            }
            else if (customer.Customer == b)
            {
                Assert.Equal(-23.5m, customer.Margin);
            }
        }

        var error = Assert.Throws<ArgumentException>(() => report.StreamRecoverableAsync(Tenant, request));
        Assert.Equal("request", error.ParamName);
    }

    [Fact]
    public async Task Report_ReadsTheSameFigures_WhenTheStoreHasNoScanCapability()
    {
        var (world, _, _, _, _) = await CreateAsync();
        var request = new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model, ToChat);

        var scanned = await new ChannelProfitabilityReport(world.Customers, world.Touchpoints, Rates).RunAsync(Tenant, request);
        var timeline = await new ChannelProfitabilityReport(world.Customers, new TimelineOnlyStore(world.Touchpoints), Rates).RunAsync(Tenant, request);

        Assert.Equal(
            (scanned.All.Customers, scanned.All.Contacts, scanned.All.Revenue, scanned.All.CostToServe, scanned.All.Margin, scanned.All.ScenarioMargin, scanned.All.Recoverable),
            (timeline.All.Customers, timeline.All.Contacts, timeline.All.Revenue, timeline.All.CostToServe, timeline.All.Margin, timeline.All.ScenarioMargin, timeline.All.Recoverable));
    }

    [Fact]
    public async Task CatalogueEntries_EvaluateThroughTheMetricEvaluator_AtTheirLevels()
    {
        var (world, _, _, _, _) = await CreateAsync();
        var source = new ChannelMixMetricSource(world.Customers, world.Touchpoints, Model, ToChat);
        var evaluator = new CrmKernel.Metrics.Evaluation.MetricEvaluator(world.Customers, world.Touchpoints, Rates, sources: [source]);
        var hierarchy = CrmKernel.Metrics.Hierarchy.MetricHierarchy.Create([.. CrmKernel.Metrics.Catalogue.StandardMetrics.All, .. ChannelMixMetrics.All], CrmKernel.Metrics.Catalogue.StandardMetrics.Causes, CrmKernel.Metrics.Catalogue.StandardMetrics.Identities);

        var evaluation = await evaluator.EvaluateAsync(Tenant, hierarchy, new CrmKernel.Metrics.Evaluation.MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP));

        Assert.Equal(29.15m, evaluation[ChannelMixMetrics.CostToServePerCustomer.Id].Value.Value);
        Assert.Equal(0.5m, evaluation[ChannelMixMetrics.UnprofitableCustomerShare.Id].Value.Value);
        Assert.Equal(0.25m, evaluation[ChannelMixMetrics.RecoverableCustomerShare.Id].Value.Value);
        Assert.Equal(CrmKernel.Metrics.Definitions.MetricLevel.OperationalProcess, ChannelMixMetrics.CostToServePerCustomer.Level);
        Assert.Equal(CrmKernel.Metrics.Definitions.MetricLevel.CustomerStrategic, ChannelMixMetrics.UnprofitableCustomerShare.Level);
        // December: A's one call (6) over four customers; A is unprofitable then (no purchase).
        Assert.Equal(1.5m, evaluation.PreviousFigures!.Values[ChannelMixMetrics.CostToServe] / 4m);
        Assert.Equal(1m, evaluation.PreviousFigures!.Values[ChannelMixMetrics.Unprofitable]);

        var unprofitable = new List<CustomerId>();
        await foreach (var customer in new ChannelProfitabilityReport(world.Customers, world.Touchpoints, Rates).StreamCustomersAsync(Tenant, source.RequestFor(January, DateTimeZone.Utc, Currency.GBP)))
        {
            if (customer.IsUnprofitable)
            {
                unprofitable.Add(customer.Customer);
            }
        }

        Assert.Equal(2, unprofitable.Count);
    }

    [Fact]
    public async Task CatalogueEntries_PerSegment_AreTheSegmentsRowOfTheReport()
    {
        var (world, _, _, _, _) = await CreateAsync();
        var source = new ChannelMixMetricSource(world.Customers, world.Touchpoints, Model, ToChat);
        var evaluator = new CrmKernel.Metrics.Evaluation.MetricEvaluator(world.Customers, world.Touchpoints, Rates, sources: [source]);
        var hierarchy = CrmKernel.Metrics.Hierarchy.MetricHierarchy.Create(ChannelMixMetrics.All, [], []);
        var everyone = await world.Customers.PageAsync(Tenant, null, 100, default);
        var segment = new CrmKernel.Segments.SegmentSnapshot(Tenant, new CrmKernel.Segments.SegmentId("first-two"), 1, Instant.MinValue, Instant.MinValue, everyone.Take(2).Select(c => c.Id));
        var request = new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model, ToChat, [segment]);
        var row = (await new ChannelProfitabilityReport(world.Customers, world.Touchpoints, Rates).RunAsync(Tenant, request)).Segments[0];

        var evaluation = await evaluator.EvaluateAsync(Tenant, hierarchy, new CrmKernel.Metrics.Evaluation.MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.GBP) { Segment = segment });

        Assert.Equal(2m, evaluation.Figures.Values[ChannelMixMetrics.Customers]);
        Assert.Equal(row.CostToServe, evaluation.Figures.Values[ChannelMixMetrics.CostToServe]);
        Assert.Equal(row.Unprofitable, evaluation.Figures.Values[ChannelMixMetrics.Unprofitable]);
        Assert.Equal(row.Recoverable, evaluation.Figures.Values[ChannelMixMetrics.Recoverable]);
    }

    [Fact]
    public async Task Report_StopsOnAMissingExchangeRate()
    {
        var (world, _, _, _, _) = await CreateAsync();
        var report = new ChannelProfitabilityReport(world.Customers, world.Touchpoints, new FixedExchangeRateProvider([]));

        await Assert.ThrowsAsync<ExchangeRateNotFoundException>(async () => await report.RunAsync(Tenant, new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model)));
    }

    [Fact]
    public void CostModel_PricesByFunctionThenDirection_AndFromDescriptors()
    {
        Assert.Equal(6m, Model.RateOf(Phone, CrmFunction.Service, InteractionDirection.Outbound));
        Assert.Equal(5m, Model.RateOf(Phone, CrmFunction.Sales, InteractionDirection.Inbound));
        Assert.Equal(3m, Model.RateOf(Phone, CrmFunction.Marketing, InteractionDirection.Outbound));
        Assert.Equal(0m, Model.RateOf(Chat, CrmFunction.Service, InteractionDirection.Inbound));
        Assert.False(Model.Prices(Chat));
        Assert.Equal([Email, Phone, Web], Model.Channels);

        var sms = new ChannelDescriptor(new ChannelId("sms"), "SMS", ChannelCategory.Marketing, ChannelDirections.Outbound, ContactPointKind.Phone, Money.Of(0.04m, "GBP"));
        var model = ChannelCostModel.FromDescriptors(Currency.GBP, [sms]);
        Assert.Equal(0.04m, model.RateOf(sms.Id, CrmFunction.Marketing, InteractionDirection.Outbound));
        Assert.Equal("descriptors", Assert.Throws<ArgumentException>(() => ChannelCostModel.FromDescriptors(Currency.EUR, [sms])).ParamName);
        Assert.Equal("descriptors", Assert.Throws<ArgumentException>(() => ChannelCostModel.FromDescriptors(Currency.GBP, [sms, sms])).ParamName);
    }

    [Fact]
    public void BadInputs_AreRefused_NamingTheParameter()
    {
        Assert.Equal("inbound", Assert.Throws<ArgumentOutOfRangeException>(() => Model.WithRate(Phone, -1m, 0m)).ParamName);
        Assert.Equal("perContact", Assert.Throws<ArgumentOutOfRangeException>(() => Model.WithFunctionRate(Phone, CrmFunction.Sales, -1m)).ParamName);
        Assert.Equal("currency", Assert.Throws<ArgumentException>(() => new ChannelCostModel(Currency.XXX)).ParamName);
        Assert.Equal("to", Assert.Throws<ArgumentException>(() => new ChannelMove(Phone, Phone, 0.5m)).ParamName);
        Assert.Equal("share", Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelMove(Phone, Chat, 1.5m)).ParamName);
        Assert.Equal("moves", Assert.Throws<ArgumentException>(() => new ChannelMixScenario("x", [new ChannelMove(Phone, Chat, 0.6m), new ChannelMove(Phone, Web, 0.6m, CrmFunction.Service)])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new ChannelMixScenario(" ", [])).ParamName);
        Assert.Equal("costModel", Assert.Throws<ArgumentException>(() => new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.EUR, Model)).ParamName);
        Assert.Equal("scenario", Assert.Throws<ArgumentException>(() => new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model, new ChannelMixScenario("x", [new ChannelMove(Phone, Chat, 0.5m)]))).ParamName);
        Assert.Equal("grossMarginRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model, grossMarginRatio: 1.1m)).ParamName);
        var segment = Segment("twice");
        Assert.Equal("segments", Assert.Throws<ArgumentException>(() => new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model, segments: [segment, segment])).ParamName);

        var world = new MixWorld();
        var report = new ChannelProfitabilityReport(world.Customers, world.Touchpoints, Rates);
        var foreign = new SegmentSnapshot(new TenantId("other"), new SegmentId("x"), 1, Day(1, 1), Day(1, 1), []);
        Assert.Equal("request", Assert.Throws<ArgumentException>(() => report.StreamCustomersAsync(Tenant, new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model, segments: [foreign]))).ParamName);
        Assert.Equal("segment", Assert.Throws<ArgumentException>(() => report.StreamRecoverableAsync(Tenant, new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, Model, ToChat), new SegmentId("unknown"))).ParamName);
    }

    internal static async Task<(MixWorld World, CustomerId A, CustomerId B, CustomerId C, CustomerId D)> CreateAsync()
    {
        var world = new MixWorld();
        var a = await world.CustomerAsync();
        var b = await world.CustomerAsync();
        var c = await world.CustomerAsync();
        var d = await world.CustomerAsync();
        await world.PurchaseAsync(a, Day(1, 5), Money.Of(100m, "GBP"));
        await world.CallsAsync(a, 4, Day(1, 10));
        await world.CallsAsync(a, 1, Day(12, 20, 2025));
        await world.PurchaseAsync(b, Day(1, 6), Money.Of(20m, "EUR"));
        await world.CallsAsync(b, 5, Day(1, 12));
        await world.RecordAsync(b, Day(1, 2), "email", CrmFunction.Marketing, InteractionDirection.Outbound, TouchpointKind.CampaignContact, cost: Money.Of(1.5m, "GBP"));
        await world.CallsAsync(c, 10, Day(1, 20));
        await world.CallsAsync(c, 1, Day(2, 1));
        return (world, a, b, c, d);
    }

    /// <summary>Hides the scan capability of a store.</summary>
    private sealed class TimelineOnlyStore(ITouchpointStore inner) : ITouchpointStore
    {
        public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken) => inner.AppendAsync(tenantId, touchpoints, cancellationToken);

        public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, touchpointId, cancellationToken);

        public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken) => inner.FindBySourceAsync(tenantId, source, cancellationToken);

        public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => inner.CountAsync(tenantId, cancellationToken);

        public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
            => inner.PageTimelineAsync(tenantId, filter, after, limit, cancellationToken);
    }
}
