using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Storage;

/// <summary>The compact scan row: every field of a touchpoint a scan reads, checked on construction, equal by value.</summary>
public sealed class TouchpointScanRowTests
{
    private static readonly CustomerId Customer = CustomerId.New();
    private static readonly Instant At = Instant.FromUtc(2026, 1, 5, 9, 30).PlusNanoseconds(7);
    private static readonly ChannelId Web = new("web");

    [Fact]
    public void From_CarriesEveryScannedField()
    {
        var touchpoint = Touchpoint.Create(new TenantId("acme"), TouchpointId.New(), At, new NewTouchpoint
        {
            CustomerId = Customer,
            Channel = Web,
            Direction = InteractionDirection.Inbound,
            Function = CrmFunction.Service,
            Kind = TouchpointKind.Complaint,
            OccurredAt = At,
            Source = new ExternalIdentifier("desk", "1"),
            Outcome = TouchpointOutcome.Resolved,
            Satisfaction = new NpsScore(0),
            Cost = Money.Of(4.50m, "GBP"),
            Revenue = Money.Of(12m, "GBP"),
        });

        var row = TouchpointScanRow.From(touchpoint);

        Assert.Equal(
            (Customer, At, Web, TouchpointKind.Complaint, CrmFunction.Service, InteractionDirection.Inbound, (TouchpointOutcome?)TouchpointOutcome.Resolved, (SatisfactionScale?)SatisfactionScale.Nps, 0, (Money?)Money.Of(4.50m, "GBP"), (Money?)Money.Of(12m, "GBP")),
            (row.CustomerId, row.OccurredAt, row.Channel, row.Kind, row.Function, row.Direction, row.Outcome, row.SatisfactionScale, row.SatisfactionValue, row.Cost, row.Revenue));
        Assert.Equal(Row(), Row());
        Assert.True(Row() == Row());
        Assert.NotEqual(Row(), Row(revenue: Money.Of(1m, "GBP")));
        Assert.True(Row() != Row(outcome: TouchpointOutcome.Resolved));
        Assert.Equal(Row().GetHashCode(), Row().GetHashCode());
    }

    [Fact]
    public void AnEmptyRow_HasNoOutcomeSurveyOrAmounts()
    {
        var row = Row();

        Assert.Null(row.Outcome);
        Assert.Null(row.SatisfactionScale);
        Assert.Equal(0, row.SatisfactionValue);
        Assert.Null(row.Cost);
        Assert.Null(row.Revenue);
        Assert.Equal(Money.Of(0m, "JPY"), Row(cost: Money.Of(0m, "JPY")).Cost);
    }

    [Fact]
    public void BadArguments_AreRejected_NamingTheParameter()
    {
        Assert.Throws<ArgumentNullException>("touchpoint", () => TouchpointScanRow.From(null!));
        Assert.Throws<ArgumentException>("customerId", () => Row(customer: default(CustomerId)));
        Assert.Throws<ArgumentException>("channel", () => new TouchpointScanRow(Customer, At, default, TouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound, null, null, 0, null, null));
        Assert.Throws<ArgumentException>("kind", () => new TouchpointScanRow(Customer, At, Web, default, CrmFunction.Sales, InteractionDirection.Inbound, null, null, 0, null, null));
        Assert.Equal("function", Assert.ThrowsAny<ArgumentException>(() => new TouchpointScanRow(Customer, At, Web, TouchpointKind.Purchase, (CrmFunction)0, InteractionDirection.Inbound, null, null, 0, null, null)).ParamName);
        Assert.Equal("direction", Assert.ThrowsAny<ArgumentException>(() => new TouchpointScanRow(Customer, At, Web, TouchpointKind.Purchase, CrmFunction.Sales, (InteractionDirection)9, null, null, 0, null, null)).ParamName);
        Assert.Throws<ArgumentException>("outcome", () => Row(outcome: default(TouchpointOutcome)));
        Assert.Equal("satisfactionScale", Assert.ThrowsAny<ArgumentException>(() => Row(scale: (SatisfactionScale)0)).ParamName);
        Assert.Throws<ArgumentException>("satisfactionValue", () => Row(value: 3));
        Assert.Throws<ArgumentOutOfRangeException>("satisfactionValue", () => Row(scale: SatisfactionScale.Csat, value: 0));
        Assert.Throws<ArgumentOutOfRangeException>("satisfactionValue", () => Row(scale: SatisfactionScale.Nps, value: 11));
        Assert.Throws<ArgumentOutOfRangeException>("satisfactionValue", () => Row(scale: SatisfactionScale.Ces, value: 6));
        Assert.Throws<ArgumentOutOfRangeException>("satisfactionValue", () => Row(scale: SatisfactionScale.Ces2, value: 8));
        Assert.Throws<ArgumentOutOfRangeException>("cost", () => Row(cost: Money.Of(-0.01m, "GBP")));
        Assert.Equal(7, Row(scale: SatisfactionScale.Ces2, value: 7).SatisfactionValue);
        Assert.Equal(Money.Of(-5m, "GBP"), Row(revenue: Money.Of(-5m, "GBP")).Revenue);
    }

    private static TouchpointScanRow Row(CustomerId? customer = null, TouchpointOutcome? outcome = null, SatisfactionScale? scale = null, int value = 0, Money? cost = null, Money? revenue = null)
        => new(customer ?? Customer, At, Web, TouchpointKind.Purchase, CrmFunction.Sales, InteractionDirection.Inbound, outcome, scale, value, cost, revenue);
}
