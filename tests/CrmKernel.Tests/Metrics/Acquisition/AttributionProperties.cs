using CrmKernel.Customers;
using CrmKernel.Metrics.Acquisition;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Metrics.Acquisition.AcquisitionTestData;

namespace CrmKernel.Tests.Metrics.Acquisition;

/// <summary>The laws of attribution and of the report: weights sum to 1, cells add up to their group, rate 1 changes nothing.</summary>
public sealed class AttributionProperties
{
    private static readonly AttributionRule[] Rules = Enum.GetValues<AttributionRule>();
    private static readonly string[] Channels = ["email", "sms", "phone", "web"];

    [Property(MaxTest = 200)]
    public Property Weights_SumToExactlyOne_AndAreNeverNegative()
        => Prop.ForAll(Gen.Elements(Rules).ToArbitrary(), Gen.Choose(1, 300).ToArbitrary(), (rule, n) =>
        {
            var weights = new decimal[n];
            Attribution.Weights(rule, n, weights);
            return weights.Sum() == 1m && weights.All(w => w >= 0m);
        });

    [Theory]
    [InlineData(AttributionRule.FirstTouch, 3, new[] { "1", "0", "0" })]
    [InlineData(AttributionRule.LastTouch, 3, new[] { "0", "0", "1" })]
    [InlineData(AttributionRule.PositionBased, 1, new[] { "1" })]
    [InlineData(AttributionRule.PositionBased, 2, new[] { "0.5", "0.5" })]
    [InlineData(AttributionRule.PositionBased, 4, new[] { "0.4", "0.1", "0.1", "0.4" })]
    [InlineData(AttributionRule.Linear, 4, new[] { "0.25", "0.25", "0.25", "0.25" })]
    public void Weights_AreTheRulesShares(AttributionRule rule, int n, string[] expected)
    {
        var weights = new decimal[n];
        Attribution.Weights(rule, n, weights);
        Assert.Equal(expected.Select(decimal.Parse), weights);
    }

    [Fact]
    public void Weights_BadArguments_AreRefusedNamingTheParameter()
    {
        Assert.Equal("touches", Assert.Throws<ArgumentOutOfRangeException>(() => Attribution.Weights(AttributionRule.Linear, 0, new decimal[1])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => Attribution.Weights(AttributionRule.Linear, 3, new decimal[2])).ParamName);
        Assert.Equal("rule", Assert.Throws<System.ComponentModel.InvalidEnumArgumentException>(() => Attribution.Weights(0, 1, new decimal[1])).ParamName);
    }

    private static Gen<(CustomerSnapshot, Touchpoint[])[]> Tenants(string currency)
    {
        var touch =
            from channel in Gen.Elements(Channels)
            from day in Gen.Choose(-5, 35)
            from hour in Gen.Choose(0, 23)
            from cost in Gen.Choose(0, 500)
            from product in Gen.Elements<string?>(null, "a", "b")
            from purchase in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
            select (channel, at: Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromDays(day) + Duration.FromHours(hour), cost: cost / 100m, product, purchase);
        var customer = touch.ListOf().Select(ts =>
        {
            var id = CustomerId.New();
            var touchpoints = ts.Select(t => t.purchase
                ? Purchase(id, t.at, t.product is null ? [] : [t.product])
                : Touch(id, t.at, t.channel, TouchpointKind.CampaignContact, cost: Money.Of(t.cost, currency), products: t.product is null ? null : [t.product])).ToArray();
            return (Snapshot(id), touchpoints);
        });
        return customer.ArrayOf();
    }

    [Property(MaxTest = 100)]
    public Property Cells_AddUpToTheirGroup_UnderEveryRule()
        => Prop.ForAll(Tenants("GBP").ToArbitrary(), Gen.Elements(Rules).ToArbitrary(), (tenant, rule) =>
        {
            var everyone = Segment("everyone", [.. tenant.Select(t => t.Item1.Id)]);
            var report = Scan(Request(rule, everyone), tenant);
            foreach (var group in report.Groups)
            {
                var cells = report.CellsOf(group.Key).ToList();
                if (Math.Round(cells.Sum(c => c.Reach), 15) != group.Reached
                    || Math.Round(cells.Sum(c => c.Conversions), 15) != group.Converted + group.DirectConversions
                    || Math.Round(cells.Sum(c => c.AcquisitionCost) - group.AcquisitionCost, 15) != 0m
                    || Math.Round(cells.Sum(c => c.ProspectSpend) - group.ProspectSpend, 15) != 0m
                    || Math.Round(cells.Sum(c => c.Communications), 15) != group.Communications
                    || group.CommunicationsByChannel.Values.Sum() != group.Communications
                    || group.TimeToFirstPurchase.Sum(b => b.Conversions) != group.Converted)
                {
                    return false.Label($"{rule}: {group}");
                }
            }

            // A segment holding everybody is the "all customers" group again.
            var all = report.Find(AcquisitionGroupKey.Total);
            var seg = report.Find(new AcquisitionGroupKey(null, everyone.Segment));
            return ((all is null && seg is null) || (all!.Reached == seg!.Reached && all.Converted == seg.Converted && all.AcquisitionCost == seg.AcquisitionCost && all.DirectConversions == seg.DirectConversions)).Label("everyone segment");
        });

    [Property(MaxTest = 200)]
    public Property Total_AgreesWithAReferenceComputation()
        => Prop.ForAll(Tenants("GBP").ToArbitrary(), tenant =>
        {
            var report = Scan(Request(), tenant);
            long reached = 0, converted = 0, direct = 0, communications = 0;
            decimal cost = 0m, spend = 0m;
            var times = new List<Duration>();
            var start = Jan(1, 0);
            var end = Instant.FromUtc(2026, 2, 1, 0, 0);
            foreach (var (_, timeline) in tenant)
            {
                var ordered = timeline.OrderBy(t => t.Position).ToList();
                var purchases = ordered.Where(t => t.Kind == TouchpointKind.Purchase).ToList();
                if (purchases.Count > 0 && purchases[0].OccurredAt < start)
                {
                    continue;
                }

                var first = purchases.Count > 0 && purchases[0].OccurredAt < end ? purchases[0] : null;
                var journey = ordered.Where(t => t.Kind != TouchpointKind.Purchase && t.OccurredAt >= start && t.OccurredAt < end && (first is null || t.OccurredAt < first.OccurredAt)).ToList();
                var journeyCost = journey.Sum(t => t.Cost?.Amount ?? 0m);
                if (journey.Count == 0)
                {
                    direct += first is null ? 0 : 1;
                    continue;
                }

                reached++;
                spend += journeyCost;
                if (first is not null)
                {
                    converted++;
                    communications += journey.Count;
                    cost += journeyCost;
                    times.Add(first.OccurredAt - journey[0].OccurredAt);
                }
            }

            times.Sort();
            Duration? median = times.Count == 0 ? null : times.Count % 2 == 1 ? times[times.Count / 2] : Duration.FromTicks((times[(times.Count / 2) - 1].BclCompatibleTicks + times[times.Count / 2].BclCompatibleTicks) / 2);
            var t = report.Total;
            return (t.Reached == reached && t.Converted == converted && t.DirectConversions == direct && t.Communications == communications
                    && t.AcquisitionCost == cost && t.ProspectSpend == spend && t.MedianTimeToFirstPurchase == median)
                .Label($"expected {reached}/{converted}/{direct}/{communications}/{cost}/{spend}/{median}, got {t.Reached}/{t.Converted}/{t.DirectConversions}/{t.Communications}/{t.AcquisitionCost}/{t.ProspectSpend}/{t.MedianTimeToFirstPurchase}");
        });

    [Property(MaxTest = 50)]
    public Property ConvertingAtRateOne_LeavesCostsUnchanged()
        => Prop.ForAll(Tenants("GBP").ToArbitrary(), gbp =>
        {
            var eur = gbp.Select(c => (c.Item1, c.Item2.Select(t => t.Cost is { } cost ? Touch(t.CustomerId, t.OccurredAt, t.Channel.Value, t.Kind, t.Function, Money.Of(cost.Amount, "EUR"), t.CampaignId, [.. t.ProductIds]) : t).ToArray())).ToArray();
            var parity = new CrmKernel.ExchangeRates.FixedExchangeRateProvider([new CrmKernel.ExchangeRates.ExchangeRate(Currency.EUR, Currency.GBP, new LocalDate(2025, 1, 1), 1m)]);
            var a = Scan(Request(), gbp);
            var b = Scan(Request(), eur, parity);
            return a.Total.AcquisitionCost == b.Total.AcquisitionCost && a.Total.ProspectSpend == b.Total.ProspectSpend
                && a.Cells.Select(c => c.AcquisitionCost).SequenceEqual(b.Cells.Select(c => c.AcquisitionCost));
        });
}
