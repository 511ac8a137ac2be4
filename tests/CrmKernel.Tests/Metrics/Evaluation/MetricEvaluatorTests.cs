using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;
using F = CrmKernel.Metrics.Catalogue.StandardFigures;
using S = CrmKernel.Metrics.Catalogue.StandardMetrics;
using Xunit;

namespace CrmKernel.Tests.Metrics.Evaluation;

public sealed class MetricEvaluatorTests
{
    private static readonly MetricHierarchy Hierarchy = S.CreateHierarchy();

    [Fact]
    public async Task EvaluateAsync_ComputesTheHandComputedFiguresOfTheWorld()
    {
        var world = await MetricWorld.CreateAsync();

        var evaluation = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, Hierarchy, Request());

        var figures = evaluation.Figures.Values;
        Assert.Equal(3m, figures[F.Orders]);
        Assert.Equal(206m, figures[F.PurchaseRevenue]);
        Assert.Equal(2m, figures[F.PurchasingCustomers]);
        Assert.Equal(1m, figures[F.RepeatCustomers]);
        Assert.Equal(2m, figures[F.CustomersAtRisk]);
        Assert.Equal(1m, figures[F.CustomersRetained]);
        Assert.Equal(1m, figures[F.Acquisitions]);
        Assert.Equal(2m, figures[F.Issues]);
        Assert.Equal(1m, figures[F.IssuesResolvedFirstContact]);
        Assert.Equal(5m, figures[F.Customers]);
        Assert.Equal(2m, figures[F.PopulatedValues]);
        Assert.Equal(15m, figures[F.ExpectedValues]);

        Assert.Equal(0.5m, evaluation[S.RetentionRate.Id].Value.Value);
        Assert.Equal(0.5m, evaluation[S.ChurnRate.Id].Value.Value);
        Assert.Equal(1.5m, evaluation[S.AcquisitionCost.Id].Value.Value);
        Assert.Equal(0.5m, evaluation[S.TouchpointFirstContactResolution.Id].Value.Value);
        Assert.Equal(100m, evaluation[S.Nps.Id].Value.Value);
        Assert.Equal(1m, evaluation[S.Csat.Id].Value.Value);
        Assert.Equal(1m, evaluation[S.TouchpointComplaintRecovery.Id].Value.Value);
        Assert.Equal(2m, evaluation[S.Ces.Id].Value.Value);
        Assert.Equal(6m, evaluation[S.Ces2.Id].Value.Value);
        Assert.Equal(1m, evaluation[S.CampaignResponseRate.Id].Value.Value);
        Assert.Equal(206m / 3m, evaluation[S.AverageOrderValue.Id].Value.Value);
    }

    [Fact]
    public async Task EvaluateAsync_TakesThePeriodInTheReportingZone_StartInclusive_EndExclusive_AcrossADaylightSavingChange()
    {
        // The oracle is written out by hand, not computed by the code under test: March 2026 in London runs from
        // 2026-03-01T00:00Z (midnight GMT) to 2026-03-31T23:00Z (midnight BST: the clocks went forward on 29 March).
        var world = MetricWorld.CreateEmpty();
        var customer = await world.NewCustomerAsync();
        var start = Instant.FromUtc(2026, 3, 1, 0, 0);
        var end = Instant.FromUtc(2026, 3, 31, 23, 0);
        await world.PurchaseAtAsync(customer, start - Duration.Epsilon, Money.Of(1m, "GBP"));                  // 28 February: out
        await world.PurchaseAtAsync(customer, start, Money.Of(10m, "GBP"));                                     // the first instant: in
        await world.PurchaseAtAsync(customer, end - Duration.Epsilon, Money.Of(100m, "GBP"));                  // the last instant: in
        await world.PurchaseAtAsync(customer, end, Money.Of(1_000m, "GBP"));                                    // 1 April in London: out
        await world.PurchaseAtAsync(customer, end + Duration.FromMinutes(30), Money.Of(10_000m, "GBP"));       // still 31 March in UTC, 1 April in London: out

        var march = new DateInterval(new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 31));
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var inLondon = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, Hierarchy, new MetricEvaluationRequest(march, london, Currency.GBP));
        var inUtc = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, Hierarchy, new MetricEvaluationRequest(march, DateTimeZone.Utc, Currency.GBP));

        Assert.Equal(2m, inLondon.Figures.Values[F.Orders]);
        Assert.Equal(110m, inLondon.Figures.Values[F.PurchaseRevenue]);

        // In UTC the same month ends an hour later: the purchases at 23:00Z and 23:30Z on 31 March are in it.
        Assert.Equal(4m, inUtc.Figures.Values[F.Orders]);
        Assert.Equal(11_110m, inUtc.Figures.Values[F.PurchaseRevenue]);
    }

    [Fact]
    public async Task EvaluateAsync_ComparesWithThePreviousPeriodOfEqualLength()
    {
        var world = await MetricWorld.CreateAsync();

        var evaluation = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, Hierarchy, Request());

        // December 2025: Alice 100 and Bob 200, both first purchases; nobody bought in November, so nobody was at risk.
        Assert.Equal(new DateInterval(new LocalDate(2025, 12, 1), new LocalDate(2025, 12, 31)), evaluation.Request.PreviousPeriod);
        Assert.Equal(2m, evaluation.PreviousFigures!.Values[F.Acquisitions]);
        var aov = evaluation[S.AverageOrderValue.Id];
        Assert.Equal(150m, aov.Previous!.Value);
        Assert.Equal((206m / 3m) - 150m, aov.Change);
        var retention = evaluation[S.RetentionRate.Id];
        Assert.Equal("no customers at risk in the period", retention.Previous!.Reason);
        Assert.Null(retention.Change);
    }

    [Fact]
    public async Task EvaluateAsync_AssessesTargetsInTheMetricsBetterDirection()
    {
        var world = await MetricWorld.CreateAsync();
        var targets = new Dictionary<MetricId, MetricTarget>
        {
            [S.RetentionRate.Id] = new(0.8m, 0.6m),
            [S.AverageOrderValue.Id] = new(60m, 50m),
            [S.Ces.Id] = new(1.5m, 2.5m),
            [S.ShareOfWallet.Id] = new(0.3m, 0.2m),
        };

        var evaluation = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, Hierarchy, Request(targets));

        Assert.Equal(MetricStatus.OffTrack, evaluation[S.RetentionRate.Id].Status);
        Assert.Equal(MetricStatus.OnTrack, evaluation[S.AverageOrderValue.Id].Status);
        Assert.Equal(MetricStatus.AtRisk, evaluation[S.Ces.Id].Status);
        Assert.Equal(MetricStatus.NotAssessed, evaluation[S.ShareOfWallet.Id].Status);
        Assert.Equal(MetricStatus.NotAssessed, evaluation[S.Nps.Id].Status);
    }

    [Fact]
    public async Task EvaluateAsync_ChecksTheIdentities()
    {
        var world = await MetricWorld.CreateAsync();

        var evaluation = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, Hierarchy, Request());

        var outcomes = evaluation.Identities.ToDictionary(c => c.Identity.Parent, c => c.Outcome);
        Assert.Equal(IdentityOutcome.Holds, outcomes[S.PurchaseRevenue.Id]);
        Assert.Equal(IdentityOutcome.Holds, outcomes[S.RevenuePerCustomer.Id]);
        Assert.Equal(IdentityOutcome.Holds, outcomes[S.ChurnRate.Id]);
        Assert.Equal(IdentityOutcome.NotCheckable, outcomes[S.DuplicateRate.Id]);
    }

    [Fact]
    public void Create_FlagsAViolatedIdentity()
    {
        var figures = Catalogue.StandardMetricsTests.Figures((F.PurchasingCustomers, 2m), (F.Orders, 3m), (F.PurchaseRevenue, 300m));
        var hierarchy = MetricHierarchy.Create(
            [S.PurchasingCustomers, S.PurchaseFrequency, S.AverageOrderValue, Doubled(S.PurchaseRevenue)],
            [],
            [S.Identities[0]]);

        var evaluation = MetricEvaluation.Create(hierarchy, Request(), figures, null);

        var check = Assert.Single(evaluation.Identities);
        Assert.Equal(IdentityOutcome.Violated, check.Outcome);
        Assert.Equal(300m, check.Expected);
        Assert.Equal(600m, check.Actual);
    }

    [Fact]
    public async Task EvaluateAsync_ExplainsAResultThroughItsDrivers()
    {
        var world = await MetricWorld.CreateAsync();

        var evaluation = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, Hierarchy, Request());

        var revenue = evaluation[S.PurchaseRevenue.Id];
        Assert.Equal(
            [S.AverageOrderValue.Id, S.PipelineVelocity.Id, S.PurchaseFrequency.Id, S.PurchasingCustomers.Id, S.SalesForecast.Id, S.ShareOfWallet.Id],
            revenue.Drivers.Select(d => d.Result.Id).Order());
        var frequency = Assert.Single(revenue.Drivers, d => d.Result.Id == S.PurchaseFrequency.Id);
        Assert.Equal(DriverLinkKind.Identity, frequency.Link.Kind);
        Assert.Equal(3m, frequency.Result.Value.Numerator);
        Assert.Equal(2m, frequency.Result.Value.Denominator);
    }

    [Fact]
    public async Task StreamTouchpointsAsync_YieldsTheRecordsBehindAFigure()
    {
        var world = await MetricWorld.CreateAsync();
        var evaluator = world.Evaluator();
        var evaluation = await evaluator.EvaluateAsync(MetricWorld.Tenant, Hierarchy, Request());

        var purchases = await evaluator.StreamTouchpointsAsync(MetricWorld.Tenant, evaluation, S.AverageOrderValue.Id).ToListAsync();
        var issues = await evaluator.StreamTouchpointsAsync(MetricWorld.Tenant, evaluation, S.TouchpointFirstContactResolution.Id).ToListAsync();

        Assert.Equal(3, purchases.Count);
        Assert.All(purchases, p => Assert.Equal(TouchpointKind.Purchase, p.Kind));
        Assert.Equal(evaluation[S.AverageOrderValue.Id].Value.Denominator, purchases.Count);
        Assert.Equal(evaluation[S.TouchpointFirstContactResolution.Id].Value.Denominator, issues.Count);
        Assert.Throws<NotSupportedException>(() => evaluator.StreamTouchpointsAsync(MetricWorld.Tenant, evaluation, S.DataCompleteness.Id));
        Assert.Throws<NotSupportedException>(() => evaluator.StreamTouchpointsAsync(MetricWorld.Tenant, evaluation, S.CrmRevenue.Id));
    }

    [Fact]
    public async Task EvaluateAsync_WithoutTheRateForAnAmount_FailsNamingThePairAndDate()
    {
        var world = await MetricWorld.CreateAsync();

        var error = await Assert.ThrowsAsync<ExchangeRateNotFoundException>(async () =>
            await world.Evaluator(new FixedExchangeRateProvider([])).EvaluateAsync(MetricWorld.Tenant, Hierarchy, Request()));

        Assert.Equal(CrmErrorCodes.ExchangeRateNotFound, error.ErrorCode);
        Assert.Equal(Currency.EUR, error.From);
        Assert.Equal(Currency.GBP, error.To);
        Assert.Equal(new LocalDate(2026, 1, 10), error.Date);
    }

    [Fact]
    public async Task EvaluateAsync_TakesTheInputsItCannotSee_ConvertingMoneyAtThePeriodEnd()
    {
        var world = await MetricWorld.CreateAsync();
        world.Inputs
            .Set(MetricWorld.Tenant, F.CrmRevenue, MetricWorld.January, MetricInput.Money(Money.Of(1_000m, "EUR"), "ledger"))
            .Set(MetricWorld.Tenant, F.DuplicateRecords, MetricWorld.January, MetricInput.Number(1m));

        var evaluation = await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, Hierarchy, Request());

        Assert.Equal(860m, evaluation[S.CrmRevenue.Id].Value.Value);
        Assert.Equal(0.8m, evaluation[S.Uniqueness.Id].Value.Value);
        Assert.Equal(0.2m, evaluation[S.DuplicateRate.Id].Value.Value);
        Assert.Equal("figure 'crm-profit' was not supplied", evaluation[S.CrmProfit.Id].Value.Reason);
        Assert.Equal(IdentityOutcome.Holds, evaluation.Identities.Single(c => c.Identity.Parent == S.DuplicateRate.Id).Outcome);
    }

    [Fact]
    public async Task EvaluateAsync_ATargetForAnUnknownMetric_Throws002()
    {
        var world = await MetricWorld.CreateAsync();
        var targets = new Dictionary<MetricId, MetricTarget> { [new MetricId("ghost")] = new(1m, 0m) };

        var error = await Assert.ThrowsAsync<MetricHierarchyException>(async () => await world.Evaluator().EvaluateAsync(MetricWorld.Tenant, Hierarchy, Request(targets)));

        Assert.Equal(CrmErrorCodes.UnknownMetric, error.ErrorCode);
    }

    [Fact]
    public async Task EvaluateAsync_AnEmptyTenant_GivesNoValuesWithReasons()
    {
        var world = await MetricWorld.CreateAsync();

        var evaluation = await world.Evaluator().EvaluateAsync(new TenantId("empty"), Hierarchy, Request());

        Assert.Equal("no orders in the period", evaluation[S.AverageOrderValue.Id].Value.Reason);
        Assert.Equal(0m, evaluation[S.PurchasingCustomers.Id].Value.Value);
        Assert.All(evaluation.Results, r => Assert.True(r.Value.HasValue || r.Value.Reason is not null));
    }

    [Fact]
    public async Task EvaluateAsync_PagesThroughMoreCustomersThanOneTimelineQuerySpans()
    {
        // 2,500 customers (three customer pages) with a purchase in December and one in January each: 5,000 touchpoints.
        var tenant = new TenantId("many");
        var clock = new NodaTime.Testing.FakeClock(Instant.FromUtc(2026, 3, 1, 0, 0));
        var customers = new CrmKernel.Storage.InMemory.InMemoryCustomerStore(new CrmKernel.Storage.InMemory.InMemoryCrmOutbox());
        var touchpoints = new CrmKernel.Storage.InMemory.InMemoryTouchpointStore();
        var repository = new CrmKernel.Services.Customers.CustomerRepository(customers, clock);
        var batch = new List<Touchpoint>();
        for (var i = 0; i < 2_500; i++)
        {
            var customer = CrmKernel.Customers.Customer.Register(tenant, new CrmKernel.Customers.PersonProfile("Many", "Customers"), clock);
            await repository.SaveAsync(customer);
            foreach (var day in new[] { new LocalDate(2025, 12, 5), new LocalDate(2026, 1, 5) })
            {
                batch.Add(Touchpoint.Create(tenant, TouchpointId.New(), clock.GetCurrentInstant(), new NewTouchpoint
                {
                    CustomerId = customer.Id,
                    Channel = new ChannelId("web"),
                    Direction = InteractionDirection.Inbound,
                    Function = CrmFunction.Sales,
                    Kind = TouchpointKind.Purchase,
                    OccurredAt = day.AtMidnight().InUtc().ToInstant(),
                    Source = new CrmKernel.Primitives.ExternalIdentifier("shop", $"{i}-{day}"),
                    Revenue = Money.Of(10m, "GBP"),
                }));
            }
        }

        await touchpoints.AppendAsync(tenant, batch, CancellationToken.None);

        var evaluation = await new MetricEvaluator(customers, touchpoints, MetricWorld.Rates).EvaluateAsync(tenant, Hierarchy, Request());

        Assert.Equal(2_500m, evaluation.Figures.Values[F.Customers]);
        Assert.Equal(2_500m, evaluation.Figures.Values[F.Orders]);
        Assert.Equal(2_500m, evaluation.Figures.Values[F.CustomersRetained]);
        Assert.Equal(1m, evaluation[S.RetentionRate.Id].Value.Value);
        Assert.Equal(2_500m, evaluation.PreviousFigures!.Values[F.Acquisitions]);
    }

    [Fact]
    public void MetricTarget_StatusFollowsTheDirection_AndRejectsALimitOnTheBetterSide()
    {
        var higher = new MetricTarget(0.9m, 0.8m);

        Assert.Equal(MetricStatus.OnTrack, higher.StatusOf(0.9m, BetterDirection.HigherIsBetter));
        Assert.Equal(MetricStatus.AtRisk, higher.StatusOf(0.8m, BetterDirection.HigherIsBetter));
        Assert.Equal(MetricStatus.OffTrack, higher.StatusOf(0.79m, BetterDirection.HigherIsBetter));
        Assert.Equal(MetricStatus.NotAssessed, higher.StatusOf(null, BetterDirection.HigherIsBetter));
        Assert.Throws<ArgumentException>(() => higher.StatusOf(0.5m, BetterDirection.LowerIsBetter));
        var error = Assert.Throws<ArgumentException>(() => MetricEvaluation.Create(Hierarchy, Request(new Dictionary<MetricId, MetricTarget> { [S.ChurnRate.Id] = higher }), Catalogue.StandardMetricsTests.Figures(), null));
        Assert.Equal("request", error.ParamName);
        Assert.Contains("'churn-rate'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-02-01", "2026-02-28", "2026-01-01", "2026-01-31")]
    [InlineData("2026-04-01", "2026-06-30", "2026-01-01", "2026-03-31")]
    [InlineData("2026-01-11", "2026-01-20", "2026-01-01", "2026-01-10")]
    [InlineData("2026-03-01", "2026-03-30", "2026-01-30", "2026-02-28")]
    public void PreviousPeriod_IsTheMonthsBeforeWholeMonths_OtherwiseTheSameNumberOfDays(string start, string end, string previousStart, string previousEnd)
    {
        var request = new MetricEvaluationRequest(new DateInterval(Date(start), Date(end)), DateTimeZone.Utc, Currency.GBP);

        Assert.Equal(new DateInterval(Date(previousStart), Date(previousEnd)), request.PreviousPeriod);
        Assert.Equal(DateTimeZone.Utc.AtStartOfDay(Date(previousStart)).ToInstant(), new MetricScan(request.Period, DateTimeZone.Utc).LookbackStart);

        static LocalDate Date(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
    }

    [Fact]
    public void Create_FiguresInAnotherCurrency_AreRejected()
    {
        var figures = new MetricFigures(Currency.EUR, new Dictionary<FigureKey, decimal>());

        Assert.Throws<ArgumentException>(() => MetricEvaluation.Create(Hierarchy, Request(), figures, null));
    }

    private static MetricEvaluationRequest Request(IReadOnlyDictionary<MetricId, MetricTarget>? targets = null)
        => new(MetricWorld.January, DateTimeZone.Utc, Currency.GBP, targets);

    private static MetricDefinition Doubled(MetricDefinition metric) => new(
        metric.Id, metric.Name, metric.Description, metric.Level, metric.Focus, metric.Unit, metric.Better,
        MetricFormula.Create("2 × revenue", [F.PurchaseRevenue], f => MetricValue.Of(2m * f.Values[F.PurchaseRevenue])));
}
