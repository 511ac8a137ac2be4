using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Identity;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's merge part, in a tenant of its own: the same woman registered by the web shop and by the CRM, each
/// with purchases; merging the shop's record into the CRM's moves its purchases and identifier to the survivor, and
/// undoing the merge gives both customers back as they were. Customers are found by their identifiers and purchases are
/// re-delivered under their source keys, so a re-run registers and records nothing twice and prints the same.
/// </summary>
internal static class MergeDemo
{
    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-merge");
        var clock = services.GetRequiredService<IClock>();
        var customers = services.GetRequiredService<CustomerRepository>();
        var ingestion = services.GetRequiredService<TouchpointIngestion>();
        var touchpoints = services.GetRequiredService<ITouchpointStore>();
        var merges = services.GetRequiredService<CustomerMergeService>();
        var store = services.GetRequiredService<ICustomerMergeStore>();

        var crmKey = new ExternalIdentifier("crm", "ada-1815");
        var shopKey = new ExternalIdentifier("shop", "customer-77");
        var crm = await FindOrRegisterAsync(crmKey, new PersonProfile("Ada", "Lovelace"));

        // A run stopped between the merge and the unmerge left the merge active: undo it first.
        foreach (var left in await store.ListMergesByCustomerAsync(tenant, crm, default))
        {
            if (left.IsActive)
            {
                await merges.UnmergeAsync(tenant, left.Id);
            }
        }

        var shop = await FindOrRegisterAsync(shopKey, new PersonProfile("Ada", "King", honorific: "Countess"));
        await PurchaseAsync(crm, "crm-order-1", new LocalDate(2026, 1, 10));
        await PurchaseAsync(crm, "crm-order-2", new LocalDate(2026, 2, 3));
        await PurchaseAsync(shop, "shop-order-1", new LocalDate(2026, 2, 20));
        Console.WriteLine($"\n== Merge: the CRM's Ada Lovelace ({await CountAsync(crm)} purchases) and the shop's Ada King ({await CountAsync(shop)} purchase) are one person");

        var record = await merges.MergeAsync(tenant, crm, shop);
        var survivor = await customers.GetAsync(tenant, crm);
        Console.WriteLine($"    merged:   {survivor.DisplayName} has {await CountAsync(crm)} purchases, {record.MovedTouchpoints.Count} moved; identifiers {string.Join(", ", survivor.ExternalIdentifiers)}");
        Console.WriteLine($"              the shop's id resolves to the survivor: {await merges.ResolveAsync(tenant, shop) == crm}");

        await merges.UnmergeAsync(tenant, record.Id);
        var back = await customers.GetAsync(tenant, shop);
        Console.WriteLine($"    unmerged: {(await customers.GetAsync(tenant, crm)).DisplayName} has {await CountAsync(crm)} purchases, {back.DisplayName} has {await CountAsync(shop)} again");

        async Task<CustomerId> FindOrRegisterAsync(ExternalIdentifier key, PersonProfile profile)
        {
            if (await customers.FindByExternalIdentifierAsync(tenant, key) is { } existing)
            {
                return existing.Id;
            }

            var customer = Customer.Register(tenant, profile, clock);
            customer.AddExternalIdentifier(key);
            await customers.SaveAsync(customer);
            return customer.Id;
        }

        async Task PurchaseAsync(CustomerId customer, string order, LocalDate day)
            => await ingestion.RecordAsync(tenant, new NewTouchpoint
            {
                CustomerId = customer,
                Channel = new ChannelId("web"),
                Direction = InteractionDirection.Inbound,
                Function = CrmFunction.Sales,
                Kind = TouchpointKind.Purchase,
                OccurredAt = day.At(new LocalTime(10, 0)).InUtc().ToInstant(),
                Source = new ExternalIdentifier("orders", order),
            });

        async Task<int> CountAsync(CustomerId customer)
            => (await touchpoints.PageTimelineAsync(tenant, new TimelineFilter([customer]), null, 100, default)).Count;
    }
}
