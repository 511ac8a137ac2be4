using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Innovation;
using CrmKernel.Metrics.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Innovation;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's prediction market part, in a tenant of its own: two customers are granted 100 points each and
/// trade on whether an idea will be adopted; the market closes and resolves, pays 1 point per winning share, and its
/// forecast is scored (Brier). The market is found again on a re-run and its trades are repeated under their keys,
/// which changes nothing, so every run prints the same.
/// </summary>
internal static class PredictionMarketDemo
{
    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-markets");
        var markets = services.GetRequiredService<PredictionMarketService>();
        var store = services.GetRequiredService<IPredictionMarketStore>();
        var ann = await CustomerAsync(services, tenant, "Ann", "Ito", "ann@markets.example");
        var bob = await CustomerAsync(services, tenant, "Bob", "Ray", "bob@markets.example");
        var names = new Dictionary<CustomerId, string> { [ann] = "Ann", [bob] = "Bob" };

        // The tenant's one market, opened (with its grants) on the first run only.
        var market = (await store.PageAsync(tenant, null, 1, default)).FirstOrDefault();
        if (market is null)
        {
            market = await markets.OpenAsync(tenant, IdeaId.New(), "Self-service returns adopted by at least 20% of customers within 90 days?", ["yes", "no"], liquidity: 100m);
            await markets.GrantAsync(tenant, market.Id, ann, 100m);
            await markets.GrantAsync(tenant, market.Id, bob, 100m);
        }

        // Idempotent by key: on a re-run these return the stored trades (even though the market is settled by then).
        await markets.TradeAsync(tenant, market.Id, ann, 0, 50m, "ann-1");
        await markets.TradeAsync(tenant, market.Id, bob, 1, 20m, "bob-1");
        await markets.TradeAsync(tenant, market.Id, ann, 0, -10m, "ann-2");
        market = await markets.GetAsync(tenant, market.Id);
        if (market.Status == PredictionMarketStatus.Open)
        {
            await markets.CloseAsync(tenant, market.Id);
            market = await markets.ResolveAsync(tenant, market.Id, outcome: 0);
        }

        Console.WriteLine($"\n== Prediction market (LMSR, b = {market.Liquidity}): {market.Question}");
        await foreach (var trade in markets.ReadTradesAsync(tenant, market.Id))
        {
            Console.WriteLine($"    #{trade.Sequence} {names[trade.CustomerId]} {(trade.Shares > 0 ? "buys" : "sells")} {Math.Abs(trade.Shares)} '{market.Outcomes[trade.Outcome]}' for {trade.Cost,9} points -> yes {trade.PricesAfter[0]:P1}");
        }

        Console.WriteLine($"    closed at yes {market.Prices[0]:P1}, no {market.Prices[1]:P1}; resolved '{market.Outcomes[market.WinningOutcome!.Value]}'");
        foreach (var participant in market.Participants.OrderBy(p => names[p.CustomerId], StringComparer.Ordinal))
        {
            Console.WriteLine($"    {names[participant.CustomerId]}: granted {participant.Granted}, paid {participant.NetPaid}, paid out {participant.Payout}, balance {participant.Balance}");
        }

        Console.WriteLine($"    market maker: collected {market.Collected}, paid {market.PaidOut} (loss bounded by b·ln 2 = {100 * Math.Log(2):0.0000}); Brier score {PredictionMarketMetricSource.BrierScore(market):0.0000}");
        Console.WriteLine($"    traders to tell when the idea is decided: {(await markets.ListTradersAsync(tenant, market.IdeaId!.Value)).Count}");
    }

    private static async Task<CustomerId> CustomerAsync(IServiceProvider services, TenantId tenant, string given, string family, string email)
    {
        // Found again on a re-run by the email address.
        var address = EmailAddress.Parse(email);
        if ((await services.GetRequiredService<ICustomerStore>().ListByContactPointAsync(tenant, address, default)).FirstOrDefault() is { } existing)
        {
            return existing.Id;
        }

        var customer = Customer.Register(tenant, new PersonProfile(given, family), services.GetRequiredService<IClock>());
        customer.AddContactPoint(address);
        await services.GetRequiredService<CustomerRepository>().SaveAsync(customer);
        return customer.Id;
    }
}
