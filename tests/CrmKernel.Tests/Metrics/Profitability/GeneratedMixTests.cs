using CrmKernel.Metrics.Profitability;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Metrics.Profitability.MixWorld;

namespace CrmKernel.Tests.Metrics.Profitability;

/// <summary>
/// A generated tenant with planted answers: 400 customers, each drawn (seeded) as one of three kinds — phone-heavy and
/// recoverable (30 % planted), phone-heavy and hopeless (20 %), profitable web buyers (50 %) — with random amounts inside
/// each kind's bounds, so that the kind alone decides the answer. The report finds exactly the planted customers, and the
/// planted share is recovered within ±0.06 (four standard errors at n = 400).
/// </summary>
public sealed class GeneratedMixTests
{
    private static readonly ChannelId Phone = new("phone");
    private static readonly ChannelId Chat = new("web-chat");

    [Fact]
    public async Task Report_FindsThePlantedRecoverableAndHopelessCustomers()
    {
        var world = new MixWorld();
        var random = new Random(18);
        var recoverable = new HashSet<CustomerId>();
        var hopeless = new HashSet<CustomerId>();
        for (var i = 0; i < 400; i++)
        {
            var customer = await world.CustomerAsync();
            var draw = random.NextDouble();
            var at = Day(1, 2 + random.Next(20));
            if (draw < 0.3)
            {
                // 4–6 service calls at 6 (24–36) against 20–23 revenue: unprofitable; under the scenario at most 0.2 × 6 × 6 + 0.8 × 6 × 1 = 12 (plus 0.50 web): profitable.
                recoverable.Add(customer);
                await world.PurchaseAsync(customer, at, Money.Of(20m + random.Next(4), "GBP"));
                await world.CallsAsync(customer, 4 + random.Next(3), at + Duration.FromDays(1));
            }
            else if (draw < 0.5)
            {
                // 3–8 calls and nothing bought: unprofitable under any mix that costs something.
                hopeless.Add(customer);
                await world.CallsAsync(customer, 3 + random.Next(6), at);
            }
            else
            {
                // A 50–150 purchase and at most one call: profitable.
                await world.PurchaseAsync(customer, at, Money.Of(50m + random.Next(101), "EUR"));
                await world.CallsAsync(customer, random.Next(2), at + Duration.FromDays(2));
            }
        }

        var model = new ChannelCostModel(Currency.GBP).WithRate(Phone, 6m, 6m).WithRate(new ChannelId("web"), 0.5m, 0.5m);
        var scenario = new ChannelMixScenario("to chat", [new ChannelMove(Phone, Chat, 0.8m, CrmFunction.Service)], model.WithRate(Chat, 1m, 1m));
        var request = new ChannelProfitabilityRequest(January, DateTimeZone.Utc, Currency.GBP, model, scenario);
        var report = new ChannelProfitabilityReport(world.Customers, world.Touchpoints, Rates);

        var result = await report.RunAsync(Tenant, request);
        var found = new List<CustomerChannelProfit>();
        await foreach (var customer in report.StreamRecoverableAsync(Tenant, request))
        {
            found.Add(customer);
        }

        Assert.Equal(recoverable.Count + hopeless.Count, result.All.Unprofitable);
        Assert.Equal(hopeless.Count, result.All.UnprofitableUnderScenario);
        Assert.Equal(recoverable.Order(), found.Select(f => f.Customer).Order());
        Assert.Equal(found.Select(f => f.Gain).OrderDescending(), found.Select(f => f.Gain));
        Assert.InRange((double)result.All.Recoverable / 400, 0.24, 0.36);
        Assert.InRange((double)result.All.UnprofitableShare!.Value, 0.44, 0.56);
    }
}
