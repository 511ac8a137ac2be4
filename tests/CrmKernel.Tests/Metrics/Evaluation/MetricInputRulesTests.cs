using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Metrics.Evaluation;

/// <summary>The rules on the small value types of the metric model: every bad input is refused, naming the parameter.</summary>
public sealed class MetricInputRulesTests
{
    private static readonly DateInterval January = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));

    [Fact]
    public void MetricValue_NeedsAReasonForNoValue_AndRatioNamesTheEmptyDenominator()
    {
        Assert.Equal("reason", Assert.Throws<ArgumentException>(() => MetricValue.None("  ")).ParamName);
        var none = MetricValue.Ratio(3m, 0m, "orders");
        Assert.Null(none.Value);
        Assert.Equal("no orders in the period", none.Reason);
        Assert.Equal("no value (no orders in the period)", none.ToString());
        Assert.Equal(3m, none.Numerator);
        Assert.Equal(150m, MetricValue.Ratio(3m, 2m, "orders", 100m).Value);
    }

    [Fact]
    public void MetricFigures_RefuseADefaultKey_AndWithReplacesFigures()
    {
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => new MetricFigures(Currency.GBP, new Dictionary<FigureKey, decimal> { [default] = 1m })).ParamName);
        var figures = new MetricFigures(Currency.GBP, new Dictionary<FigureKey, decimal> { [StandardFigures.Orders] = 1m });

        var more = figures.With(new Dictionary<FigureKey, decimal> { [StandardFigures.Orders] = 2m, [StandardFigures.Complaints] = 3m });

        Assert.Equal(1m, figures.Values[StandardFigures.Orders]);
        Assert.Equal(2m, more.Values[StandardFigures.Orders]);
        Assert.True(more.TryGet(StandardFigures.Complaints, out var complaints) && complaints == 3m);
        Assert.Throws<ArgumentException>(() => new ChannelFigures(new ChannelId("web"), 1, 2, 0m, 0m));
        Assert.Throws<ArgumentException>(() => new ChannelFigures(default, 1, 1, 0m, 0m));
    }

    [Fact]
    public void FigureKey_FollowsTheMetricIdRules()
    {
        Assert.Equal("category-spend", new FigureKey(" Category-Spend ").Value);
        Assert.Throws<ArgumentException>(() => new FigureKey("category spend"));
        Assert.False(FigureKey.TryParse("1st", out _));
    }

    [Fact]
    public void MetricFormula_RefusesBlankTextAndDefaultKeys()
    {
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => MetricFormula.Figure(StandardFigures.Orders, " ")).ParamName);
        Assert.Equal("figures", Assert.Throws<ArgumentException>(() => MetricFormula.Create("x", [default], _ => MetricValue.Of(1m))).ParamName);
        Assert.Equal("figure 'orders' was not supplied", MetricFormula.Figure(StandardFigures.Orders, "orders").Compute(new MetricFigures(Currency.GBP, new Dictionary<FigureKey, decimal>())).Reason);
    }

    [Fact]
    public void MetricRecordScope_RefusesEmptySets_AndMatchesKindFunctionAndDirection()
    {
        Assert.Equal("kinds", Assert.Throws<ArgumentException>(() => MetricRecordScope.Touchpoints(kinds: [])).ParamName);
        Assert.Equal("functions", Assert.Throws<ArgumentException>(() => MetricRecordScope.Touchpoints(functions: [])).ParamName);
        var scope = MetricRecordScope.Touchpoints([TouchpointKind.Complaint], [CrmFunction.Service], InteractionDirection.Inbound);
        var complaint = Touchpoint(TouchpointKind.Complaint, CrmFunction.Service, InteractionDirection.Inbound);

        Assert.True(scope.Matches(complaint));
        Assert.False(scope.Matches(Touchpoint(TouchpointKind.Complaint, CrmFunction.Service, InteractionDirection.Outbound)));
        Assert.False(scope.Matches(Touchpoint(TouchpointKind.Enquiry, CrmFunction.Service, InteractionDirection.Inbound)));
        Assert.False(MetricRecordScope.Customers.Matches(complaint));
    }

    [Fact]
    public void MetricTouchpoint_RefusesNegativeCostsAndChannels_AndUndefinedEnums()
    {
        var at = Instant.FromUtc(2026, 1, 1, 0, 0);

        Assert.Equal("cost", Assert.Throws<ArgumentOutOfRangeException>(() => new MetricTouchpoint(at, MetricTouchpointKind.Other, CrmFunction.Sales, InteractionDirection.Inbound, false, null, 0, -1m, 0m)).ParamName);
        Assert.Equal("channel", Assert.Throws<ArgumentOutOfRangeException>(() => new MetricTouchpoint(at, MetricTouchpointKind.Other, CrmFunction.Sales, InteractionDirection.Inbound, false, null, -1, null, 0m)).ParamName);
        Assert.Equal("function", Assert.ThrowsAny<ArgumentException>(() => new MetricTouchpoint(at, MetricTouchpointKind.Other, (CrmFunction)9, InteractionDirection.Inbound, false, null, 0, null, 0m)).ParamName);
        var fact = new MetricTouchpoint(at, MetricTouchpointKind.Complaint, CrmFunction.Service, InteractionDirection.Inbound, true, new Ces2Score(6), 2, 1.5m, 0m);
        Assert.Equal((SatisfactionScale.Ces2, 6, true, true, 1.5m), (fact.Scale!.Value, fact.Score, fact.Resolved, fact.HasCost, fact.Cost));
        Assert.Equal(MetricTouchpointKind.Other, MetricTouchpoint.KindOf(new TouchpointKind("warranty-claim")));
    }

    [Fact]
    public void CustomerFacts_RefuseMorePopulatedThanExpected_AndReadTheStandardThree()
    {
        Assert.Equal("populatedValues", Assert.Throws<ArgumentOutOfRangeException>(() => new CustomerFacts(4, 3)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CustomerFacts(0, -1));
        var customer = CrmKernel.Customers.Customer.Register(new TenantId("t"), new CrmKernel.Customers.PersonProfile("A", "B"), new NodaTime.Testing.FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0)));
        Assert.Equal(new CustomerFacts(0, 3), CustomerFacts.Of(customer.ToSnapshot()));
        customer.ChangeHomeTimeZone(DateTimeZone.Utc);
        Assert.Equal(new CustomerFacts(1, 3), CustomerFacts.Of(customer.ToSnapshot()));
    }

    [Fact]
    public async Task Inputs_AreKeptPerTenantFigureAndPeriod_AndMoneyNeedsARealCurrency()
    {
        var tenant = new TenantId("t");
        var inputs = new InMemoryMetricInputs().Set(tenant, StandardFigures.CrmProfit, January, MetricInput.Number(5m, "ledger"));

        Assert.Equal(5m, (await inputs.FindAsync(tenant, StandardFigures.CrmProfit, January, CancellationToken.None))!.Value);
        Assert.Null(await inputs.FindAsync(new TenantId("other"), StandardFigures.CrmProfit, January, CancellationToken.None));
        Assert.Null(await inputs.FindAsync(tenant, StandardFigures.CrmRevenue, January, CancellationToken.None));
        Assert.Null(await inputs.FindAsync(tenant, StandardFigures.CrmProfit, new DateInterval(January.Start, January.End.PlusDays(-1)), CancellationToken.None));
        Assert.Equal("amount", Assert.Throws<ArgumentException>(() => MetricInput.Money(default)).ParamName);
        Assert.Throws<ArgumentException>(() => inputs.Set(tenant, default, January, MetricInput.Number(1m)));
    }

    [Fact]
    public void Request_RefusesTheNoCurrency()
    {
        Assert.Equal("currency", Assert.Throws<ArgumentException>(() => new MetricEvaluationRequest(January, DateTimeZone.Utc, Currency.XXX)).ParamName);
    }

    [Fact]
    public void DriverLink_NeedsIdsAndARationale()
    {
        Assert.Equal("rationale", Assert.Throws<ArgumentException>(() => DriverLink.Cause(new MetricId("a"), new MetricId("b"), " ")).ParamName);
        Assert.Equal("driver", Assert.Throws<ArgumentException>(() => DriverLink.Cause(default, new MetricId("b"), "x")).ParamName);
        Assert.Equal("a → b (HypothesisedCause)", DriverLink.Cause(new MetricId("a"), new MetricId("b"), "x").ToString());
    }

    private static Touchpoint Touchpoint(TouchpointKind kind, CrmFunction function, InteractionDirection direction)
        => CrmKernel.Touchpoints.Touchpoint.Create(new TenantId("t"), TouchpointId.New(), Instant.FromUtc(2026, 1, 1, 0, 0), new NewTouchpoint
        {
            CustomerId = CustomerId.New(),
            Channel = new ChannelId("phone"),
            Direction = direction,
            Function = function,
            Kind = kind,
            OccurredAt = Instant.FromUtc(2026, 1, 1, 0, 0),
            Source = new CrmKernel.Primitives.ExternalIdentifier("test", Guid.NewGuid().ToString("N")),
        });
}
