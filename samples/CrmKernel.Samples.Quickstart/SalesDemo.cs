using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Sales;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Relationships;
using CrmKernel.Services.Sales;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's sales part, on the same database as the rest (a tenant of its own, so the other parts' figures
/// do not change): a pipeline, a deal for a prospect company worked through its stages with a contact role, and won,
/// which records the purchase through the ingestion pipeline and makes the company a first-time customer. Every step
/// is found before it is done, so a re-run prints the same deal and records nothing twice.
/// </summary>
internal static class SalesDemo
{
    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-sales");
        var clock = services.GetRequiredService<IClock>();
        var customers = services.GetRequiredService<CustomerRepository>();
        var graph = services.GetRequiredService<RelationshipGraph>();
        var sales = services.GetRequiredService<OpportunityService>();

        var initech = await FindOrRegisterAsync(new ExternalIdentifier("erp", "ORG-77"), () => Customer.Register(tenant, new OrganizationProfile("Initech Limited", "Initech"), clock));
        var peter = await FindOrRegisterAsync(new ExternalIdentifier("erp", "P-1999"), () => Customer.Register(tenant, new PersonProfile("Peter", "Gibbons"), clock));
        var since = Instant.FromUtc(2024, 1, 1, 0, 0);
        if ((await graph.AsOfAsync(tenant, peter.Id, since)).Count == 0)
        {
            await graph.EstablishAsync(tenant, RelationshipType.Employment, initech.Id, peter.Id, since);
        }

        var pipeline = (await sales.ListPipelinesAsync(tenant)).FirstOrDefault(p => p.Name == "New business")
            ?? await sales.DefinePipelineAsync(tenant, "New business",
            [
                new SalesStage("qualify", "Qualify", 0.10m, ForecastCategory.Pipeline),
                new SalesStage("propose", "Propose", 0.40m, ForecastCategory.BestCase),
                new SalesStage("negotiate", "Negotiate", 0.75m, ForecastCategory.Commit),
            ]);

        Opportunity? deal = null;
        await foreach (var existing in sales.StreamByCustomerAsync(tenant, initech.Id))
        {
            deal = existing;
        }

        if (deal is null)
        {
            deal = await sales.OpenAsync(tenant, initech.Id, pipeline.Id, "Initech - 40 seats", "user-17", Currency.GBP, new LocalDate(2026, 6, 30), "user-17");
            await sales.AddLineItemAsync(tenant, deal.Id, "seat-licence", 40m, Money.Of(100m, "GBP"), discount: 0.10m);
            await sales.AddContactRoleAsync(tenant, deal.Id, peter.Id, "decision-maker");
            await sales.MoveStageAsync(tenant, deal.Id, "propose", "user-17", "demo went well");
            await sales.MoveStageAsync(tenant, deal.Id, "negotiate", "user-17", "pricing accepted in principle");
        }

        if (deal.IsOpen)
        {
            await sales.CloseWonAsync(tenant, deal.Id, "user-17", "signed order form");
        }

        // Idempotent by the deal's key: asking again records nothing new.
        var purchase = await sales.RecordPurchaseAsync(tenant, deal.Id);
        deal = await sales.GetAsync(tenant, deal.Id);
        var buyer = await customers.GetAsync(tenant, initech.Id);

        Console.WriteLine($"\n== Sales: \"{deal.Name}\" for {buyer.DisplayName} in the {pipeline.Name} pipeline");
        foreach (var line in deal.LineItems)
        {
            Console.WriteLine($"    line {line.LineNumber}: {line.Quantity} x {line.ProductId} at {line.UnitPrice}, {line.Discount:P0} off = {line.Total}");
        }

        foreach (var role in deal.ContactRoles)
        {
            Console.WriteLine($"    contact: {(role.ContactId == peter.Id ? peter.DisplayName : role.ContactId.ToString())} as {role.Role}");
        }

        foreach (var change in deal.History)
        {
            var move = change.FromStage is null ? $"opened in {change.ToStage}" : change.ToStatus == change.FromStatus ? $"{change.FromStage} -> {change.ToStage}" : $"{change.ToStatus} in {change.ToStage}";
            Console.WriteLine($"    {move,-24} by {change.Actor}: {change.Reason}");
        }

        Console.WriteLine($"    {deal.Status}: {deal.Amount} ({deal.ForecastCategory}, probability {deal.Probability:P0})");
        Console.WriteLine($"    purchase recorded once (asked again: already recorded = {purchase.AlreadyRecorded}); {buyer.DisplayName} is now {buyer.Lifecycle.Stage}");

        async Task<Customer> FindOrRegisterAsync(ExternalIdentifier key, Func<Customer> register)
        {
            if (await customers.FindByExternalIdentifierAsync(tenant, key) is { } found)
            {
                return found;
            }

            var customer = register();
            customer.AddExternalIdentifier(key);
            await customers.SaveAsync(customer);
            return customer;
        }
    }
}
