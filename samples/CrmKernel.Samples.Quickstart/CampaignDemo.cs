using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// Sends a marketing campaign through the channel dispatcher: the consent ledger, quiet hours in each customer's own
/// time zone and the channel's cost all come into play, and the dispatcher says, per customer, what happened and why.
/// </summary>
internal static class CampaignDemo
{
    /// <summary>Monday 2 March 2026, 19:30 UTC: evening in London, the middle of the night in Tokyo.</summary>
    private static readonly Instant SendAt = Instant.FromUtc(2026, 3, 2, 19, 30);

    public static async Task RunAsync()
    {
        Console.WriteLine("\n== Spring campaign by email, sent at 19:30 UTC (quiet hours 21:00-08:00 in each customer's zone)");
        await using var services = new ServiceCollection()
            .AddCrmKernel(kernel => kernel
                .UseInMemoryStores()
                .UseClock(new FixedClock(SendAt))
                .AddChannel(new ConsoleChannel())
                .UseContactPolicy(new ContactPolicy(
                    DateTimeZone.Utc, // the stated zone for customers whose home zone is unknown
                    new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0)),
                    [new FrequencyCap(new ChannelId("email"), 2, Duration.FromDays(7))])))
            .BuildServiceProvider();
        var customers = services.GetRequiredService<CustomerRepository>();
        var dispatcher = services.GetRequiredService<ChannelDispatcher>();
        var clock = services.GetRequiredService<IClock>();
        var tenant = new TenantId("quickstart");
        var email = new ChannelId("email");
        var names = new Dictionary<CustomerId, string>();

        async Task<Customer> AddAsync(string given, string family, string address, string? zone, Action<Customer, EmailAddress> consent)
        {
            var customer = Customer.Register(tenant, new PersonProfile(given, family), clock);
            var point = EmailAddress.Parse(address);
            customer.AddContactPoint(point);
            customer.ChangeHomeTimeZone(zone is null ? null : DateTimeZoneProviders.Tzdb[zone]);
            consent(customer, point);
            await customers.SaveAsync(customer);
            names[customer.Id] = $"{given} {family}";
            return customer;
        }

        await AddAsync("Ada", "Lovelace", "ada@example.com", "Europe/London", (c, p) => c.GrantConsent(ConsentPurpose.Marketing, email, p, "web-form:signup", "signup form v3"));
        await AddAsync("Grace", "Hopper", "grace@example.com", "Asia/Tokyo", (c, p) => c.GrantConsent(ConsentPurpose.Marketing, null, null, "preference-centre"));
        await AddAsync("Alan", "Turing", "alan@example.com", "Europe/London", (_, _) => { });
        var marie = await AddAsync("Marie", "Curie", "marie@example.com", "Europe/Paris", (c, _) =>
        {
            c.DeclineConsent(ConsentPurpose.Marketing, null, null, "call-centre");
            c.RecordConsent(new ConsentEntry(ConsentPurpose.Service, null, null, ConsentStatus.Granted, LawfulBasis.Contract, "webshop", c.CreatedAt, "order 2001"));
        });
        await AddAsync("Charles", "Babbage", "charles@example.com", null, (c, _) => c.GrantConsent(ConsentPurpose.Marketing, null, null, "import.legacy"));

        var content = new MessageContent("Our spring range is here.", "Spring is here");
        await foreach (var result in dispatcher.SendCampaignAsync(tenant, "spring-2026", email, ConsentPurpose.Marketing, content, names.Keys))
        {
            var when = result.NotBefore is { } notBefore ? $" (try again after {notBefore})" : "";
            Console.WriteLine($"    {names[result.CustomerId],-16} {result.Outcome,-8} {result.Refusal?.ToString() ?? "",-14} {result.Reason}{when}");
        }

        // Marie declined marketing, but a service message about her order rests on her contract.
        var shipped = await dispatcher.DispatchAsync(tenant, new DispatchRequest(
            marie.Id, email, ConsentPurpose.Service, CrmFunction.Service, new MessageContent("Order 2001 has shipped.", "Your order has shipped"), "order-2001/shipped", kind: new TouchpointKind("order-update")));
        Console.WriteLine($"    {"Marie Curie",-16} {shipped.Outcome,-8} {"",-14} service message: {shipped.Reason}");

        // Running the campaign again sends nothing twice: the dispatch key is the campaign, channel and customer.
        var again = await dispatcher.SendCampaignAsync(tenant, "spring-2026", email, ConsentPurpose.Marketing, content, names.Keys).CountAsync(r => r.Outcome == DispatchOutcome.AlreadySent);
        Console.WriteLine($"    re-running the campaign: {again} already sent, nothing sent twice");
    }

    /// <summary>A clock stopped at one instant, so the demo prints the same every time.</summary>
    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
