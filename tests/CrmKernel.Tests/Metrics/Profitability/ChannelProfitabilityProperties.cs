using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Profitability;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CrmKernel.Tests.Metrics.Profitability;

/// <summary>
/// Laws of the channel-mix costing over random customers' touchpoints (random channels, functions, directions, recorded
/// costs and revenue) and random rates: a scenario that moves nothing at the same rates changes no margin; moving contacts
/// between channels of equal rates changes no margin; cost is linear in the contact counts; a segment's row is the sum of
/// its members' figures.
/// </summary>
public sealed class ChannelProfitabilityProperties
{
    private static readonly ChannelId[] Channels = [new("phone"), new("web"), new("email"), new("web-chat")];

    [Property(MaxTest = 200)]
    public Property AScenarioThatMovesNothing_LeavesEveryMarginUnchanged()
        => Prop.ForAll(Rows().ToArbitrary(), RateModel().ToArbitrary(), (rows, model) =>
        {
            var scenario = new ChannelMixScenario("nothing", [new ChannelMove(Channels[0], Channels[1], 0m)]);
            var profit = Cost(rows, model, scenario);
            return profit.ScenarioMargin == profit.Margin && profit.ScenarioModelledCost == profit.ModelledCost;
        });

    [Property(MaxTest = 200)]
    public Property MovingContactsBetweenChannelsOfEqualRates_LeavesEveryMarginUnchanged()
        => Prop.ForAll(Rows().ToArbitrary(), Gen.Choose(0, 100).ToArbitrary(), (rows, percent) =>
        {
            var model = new ChannelCostModel(Currency.GBP).WithRate(Channels[0], 2m, 1m).WithRate(Channels[3], 2m, 1m).WithRate(Channels[1], 0.5m, 0.25m);
            var scenario = new ChannelMixScenario("same rates", [new ChannelMove(Channels[0], Channels[3], percent / 100m)]);
            var profit = Cost(rows, model, scenario);
            return profit.ScenarioMargin == profit.Margin;
        });

    [Property(MaxTest = 100)]
    public Property Cost_IsLinearInTheContactCounts()
        => Prop.ForAll(Rows().ToArbitrary(), RateModel().ToArbitrary(), Gen.Choose(2, 4).ToArbitrary(), (rows, model, k) =>
        {
            var scenario = new ChannelMixScenario("to chat", [new ChannelMove(Channels[0], Channels[3], 0.8m, CrmFunction.Service), new ChannelMove(Channels[2], Channels[1], 0.25m)], model.WithRate(Channels[3], 1m, 1m));
            var once = Cost(rows, model, scenario);
            var many = Cost([.. rows.SelectMany(r => Enumerable.Repeat(r, k))], model, scenario);
            return many.RecordedCost == k * once.RecordedCost && many.ModelledCost == k * once.ModelledCost
                && many.ScenarioModelledCost == k * once.ScenarioModelledCost && many.Revenue == k * once.Revenue && many.Contacts == k * once.Contacts;
        });

    [Property(MaxTest = 100)]
    public Property TheAllRow_AndEachSegmentRow_AreTheSumsOverTheirCustomers()
        => Prop.ForAll(Rows().ListOf().Select(l => l.ToArray()).ToArbitrary(), RateModel().ToArbitrary(), (customers, model) =>
        {
            var profits = customers.Select(rows => Cost(rows, model, null)).ToArray();
            var members = profits.Where((_, i) => i % 2 == 0).Select(p => p.Customer).ToArray();
            var all = new SegmentProfitability(null);
            var even = new SegmentProfitability(MixWorld.Segment("even", members));
            foreach (var profit in profits)
            {
                all.Add(profit);
                if (even.Snapshot!.Contains(profit.Customer))
                {
                    even.Add(profit);
                }
            }

            var evens = profits.Where((_, i) => i % 2 == 0).ToArray();
            return all.Customers == profits.Length && all.Margin == profits.Sum(p => p.Margin) && all.CostToServe == profits.Sum(p => p.CostToServe)
                && all.Unprofitable == profits.Count(p => p.IsUnprofitable) && all.Contacts == profits.Sum(p => p.Contacts)
                && all.Channels.Sum(c => c.Contacts) == all.Contacts
                && even.Customers == evens.Length && even.Margin == evens.Sum(p => p.Margin) && even.Revenue == evens.Sum(p => p.Revenue);
        });

    private static CustomerChannelProfit Cost(TouchpointScanRow[] rows, ChannelCostModel model, ChannelMixScenario? scenario)
    {
        var request = new ChannelProfitabilityRequest(MixWorld.January, DateTimeZone.Utc, Currency.GBP, model, scenario);
        var costing = new CustomerCosting(request, new CurrencyConverter(new FixedExchangeRateProvider([]), Currency.GBP));
        foreach (var row in rows)
        {
            if (!costing.TryAdd(in row))
            {
                throw new InvalidOperationException("Every amount is in GBP.");
            }
        }

        return costing.End(CustomerId.New());
    }

    private static Gen<ChannelCostModel> RateModel()
        => from rates in Gen.Choose(0, 800).ArrayOf(8)
           select new ChannelCostModel(Currency.GBP)
               .WithRate(Channels[0], rates[0] / 100m, rates[1] / 100m)
               .WithFunctionRate(Channels[0], CrmFunction.Service, rates[2] / 100m)
               .WithRate(Channels[1], rates[3] / 100m, rates[4] / 100m)
               .WithRate(Channels[2], rates[5] / 100m, rates[6] / 100m)
               .WithRate(Channels[3], rates[7] / 100m, rates[7] / 100m);

    private static Gen<TouchpointScanRow[]> Rows()
    {
        var customer = CustomerId.New();
        var row = from channel in Gen.Elements(Channels)
                  from function in Gen.Elements(Enum.GetValues<CrmFunction>())
                  from direction in Gen.Elements(InteractionDirection.Inbound, InteractionDirection.Outbound)
                  from cost in Gen.Choose(-1, 500)
                  from revenue in Gen.Choose(-1, 5000)
                  from minute in Gen.Choose(0, 40_000)
                  select new TouchpointScanRow(
                      customer, Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromMinutes(minute), channel, revenue >= 0 ? TouchpointKind.Purchase : TouchpointKind.Enquiry, function, direction, null, null, 0,
                      cost < 0 ? null : Money.Of(cost / 100m, "GBP"), revenue < 0 ? null : Money.Of(revenue / 100m, "GBP"));
        return row.ListOf().Select(l => l.ToArray());
    }
}
