using CrmKernel.Customers;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Acquisition;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's acquisition part, in a tenant of its own: four prospects in January 2026 — a new-year email
/// campaign, sales calls, purchases of a kettle and a toaster, one prospect who never buys and one who buys without being
/// contacted — and how they became customers, by product and by channel under position-based attribution. Customers are
/// found by their shop id and touchpoints recorded under source keys, so a re-run stores nothing twice and prints the same.
/// </summary>
internal static class AcquisitionDemo
{
    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-acquisition");
        var clock = services.GetRequiredService<IClock>();
        var repository = services.GetRequiredService<CustomerRepository>();
        var ingestion = services.GetRequiredService<TouchpointIngestion>();
        var (email, phone, web) = (new ChannelId("email"), new ChannelId("phone"), new ChannelId("web"));

        var ann = await Prospect("C-3001", "Ann", "Jones");
        var ben = await Prospect("C-3002", "Ben", "Okafor");
        var cat = await Prospect("C-3003", "Cat", "Novak");
        var dan = await Prospect("C-3004", "Dan", "Silva");
        await Touch(ann, "mail-3001", 5, email, TouchpointKind.CampaignContact, CrmFunction.Marketing, cost: 0.05m);
        await Touch(ann, "call-3001", 8, phone, TouchpointKind.Enquiry, CrmFunction.Sales, cost: 3m);
        await Touch(ann, "order-3001", 10, web, TouchpointKind.Purchase, CrmFunction.Sales, revenue: 39m, products: ["kettle"]);
        await Touch(ben, "mail-3002", 5, email, TouchpointKind.CampaignContact, CrmFunction.Marketing, cost: 0.05m);
        await Touch(ben, "reply-3002", 6, email, TouchpointKind.Response, CrmFunction.Marketing);
        await Touch(ben, "order-3002", 12, web, TouchpointKind.Purchase, CrmFunction.Sales, revenue: 64m, products: ["kettle", "toaster"]);
        await Touch(cat, "mail-3003", 5, email, TouchpointKind.CampaignContact, CrmFunction.Marketing, cost: 0.05m);
        await Touch(cat, "call-3003", 9, phone, TouchpointKind.Enquiry, CrmFunction.Sales, cost: 3m);
        await Touch(dan, "order-3004", 15, web, TouchpointKind.Purchase, CrmFunction.Sales, revenue: 25m, products: ["toaster"]);

        var analysis = new AcquisitionAnalysis(services.GetRequiredService<ICustomerStore>(), services.GetRequiredService<ITouchpointStore>(), new FixedExchangeRateProvider([]));
        var january = new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 31));
        var request = new AcquisitionRequest(january, DateTimeZoneProviders.Tzdb["Europe/London"], Currency.GBP, AttributionRule.PositionBased);
        var report = await analysis.AnalyseAsync(tenant, request);

        var total = report.Total;
        Console.WriteLine("\n== Acquisition, January 2026 (position-based attribution: 40 % first touch, 40 % last, 20 % between)");
        Console.WriteLine($"    {total.Reached} prospects reached, {total.Converted} converted ({total.ConversionRate.Value:0.0%}), {total.DirectConversions} bought without being contacted");
        Console.WriteLine($"    per conversion: {total.CommunicationsPerConversion.Value:0.##} communications, {total.CostPerAcquisition.Value:0.00} GBP (fully loaded {total.FullyLoadedCostPerAcquisition.Value:0.00} GBP); median time to first purchase {total.MedianTimeToFirstPurchase?.TotalDays:0.#} days");
        foreach (var group in report.Groups.Where(g => g.Key.Product is not null && g.Key.Segment is null).OrderBy(g => g.Key.Product, StringComparer.Ordinal))
        {
            Console.WriteLine($"    {(group.Key.Product is "" ? "(no product)" : group.Key.Product),-12} {group.Converted} of {group.Reached} reached converted");
        }

        foreach (var cell in report.CellsOf(AcquisitionGroupKey.Total).Where(c => c.Key.Channel is not null).OrderBy(c => c.Key.Channel!.Value.Value, StringComparer.Ordinal))
        {
            Console.WriteLine($"    {cell.Key.Channel,-12} credited with {cell.Conversions:0.##} conversions of {cell.Reach:0.##} prospects reached, {cell.CostPerAcquisition.Value:0.00} GBP per conversion");
        }

        async Task<CustomerId> Prospect(string shopId, string given, string family)
        {
            var key = new ExternalIdentifier("shop", shopId);
            if (await repository.FindByExternalIdentifierAsync(tenant, key) is { } existing)
            {
                return existing.Id;
            }

            var customer = Customer.Register(tenant, new PersonProfile(given, family), clock);
            customer.AddExternalIdentifier(key);
            await repository.SaveAsync(customer);
            return customer.Id;
        }

        async Task Touch(CustomerId customer, string key, int day, ChannelId channel, TouchpointKind kind, CrmFunction function, decimal? cost = null, decimal? revenue = null, string[]? products = null)
            => await ingestion.RecordAsync(tenant, new NewTouchpoint
            {
                CustomerId = customer,
                Channel = channel,
                Direction = kind == TouchpointKind.CampaignContact ? InteractionDirection.Outbound : InteractionDirection.Inbound,
                Function = function,
                Kind = kind,
                OccurredAt = Instant.FromUtc(2026, 1, day, 10, 0),
                Source = new ExternalIdentifier("shop", key),
                Cost = cost is null ? null : Money.Of(cost.Value, "GBP"),
                Revenue = revenue is null ? null : Money.Of(revenue.Value, "GBP"),
                ProductIds = products ?? [],
            });
    }
}
