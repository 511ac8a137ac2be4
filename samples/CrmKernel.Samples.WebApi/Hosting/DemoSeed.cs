using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Segments;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Services.Relationships;
using CrmKernel.Services.Segments;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Samples.WebApi.Hosting;

/// <summary>
/// Seeds the demo tenant (<c>Demo:Tenant</c>, default <c>demo</c>) on first start when <c>Demo:Seed</c> is true and the
/// tenant has no customers: 240 customers (persons and organisations) acquired over the last 18 months, their purchases,
/// campaign contacts, complaints and resolutions, consents, employment and household relationships, and two segments.
/// The data is generated from a fixed seed relative to the day of the first start.
/// </summary>
internal static partial class DemoSeed
{
    /// <summary>
    /// Runs the seed as the host starts, before the server takes requests (hosted services start before Kestrel), so a
    /// request never sees a half-seeded tenant and the seed's spans reach the exporter.
    /// </summary>
    internal sealed class Service(IServiceProvider services, IConfiguration configuration, StorageChoice storage, IClock clock, ILogger<Service> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            LogStore(logger, storage.Description);
            if (!configuration.GetValue("Demo:Seed", true))
            {
                return;
            }

            var tenant = new TenantId(configuration["Demo:Tenant"] is { Length: > 0 } t ? t : "demo");
            LogSeeded(logger, tenant.ToString(), await SeedAsync(services, tenant, clock.GetCurrentInstant(), cancellationToken));
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public const int Customers = 240;

    private static readonly string[] Given = ["Ada", "Grace", "Alan", "Joan", "Marie", "Charles", "Emmy", "Kurt", "Hedy", "Claude", "Barbara", "John", "Katherine", "Tim", "Radia", "Edsger"];
    private static readonly string[] Family = ["Lovelace", "Hopper", "Turing", "Clarke", "Curie", "Babbage", "Noether", "Goedel", "Lamarr", "Shannon", "Liskov", "Backus", "Johnson", "Berners", "Perlman", "Dijkstra"];

    /// <summary>Seeds <paramref name="tenant"/> unless it has customers; returns how many customers it registered.</summary>
    public static async Task<int> SeedAsync(IServiceProvider services, TenantId tenant, Instant now, CancellationToken ct)
    {
        var customers = services.GetRequiredService<CustomerRepository>();
        if (await customers.CountAsync(tenant, ct) > 0)
        {
            return 0;
        }

        var ingestion = services.GetRequiredService<TouchpointIngestion>();
        var graph = services.GetRequiredService<RelationshipGraph>();
        var random = new Random(2025);
        var start = now - Duration.FromDays(540);
        var registered = new List<(Customer Customer, Instant Acquired)>();
        var touchpoints = new List<NewTouchpoint>();
        var email = new ChannelId("email");

        for (var i = 0; i < Customers; i++)
        {
            var acquired = start + Duration.FromHours(random.Next(480 * 24));
            var clock = new FixedClock(acquired);
            Customer customer;
            var isOrganisation = i % 8 == 0;
            if (isOrganisation)
            {
                customer = Customer.Register(tenant, new OrganizationProfile($"{Family[i / 8 % Family.Length]} Engines {i / 8} Ltd"), clock);
                customer.AddContactPoint(EmailAddress.Parse($"accounts{i}@engines{i / 8}.example"), "billing");
            }
            else
            {
                var given = Given[i % Given.Length];
                var family = Family[(i * 7 / 3) % Family.Length];
                customer = Customer.Register(tenant, new PersonProfile(given, family), clock);
                customer.AddContactPoint(EmailAddress.Parse($"{given.ToLowerInvariant()}.{family.ToLowerInvariant()}{i}@example.com"), "home");
                if (random.NextDouble() < 0.6)
                {
                    customer.AddContactPoint(PhoneNumber.Parse($"+44 20 7946 {i:0000}"), "mobile");
                }
            }

            customer.AddExternalIdentifier(new ExternalIdentifier("demo-crm", $"C-{i:0000}"));
            customer.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["Europe/London"]);
            var consent = random.NextDouble();
            if (consent < 0.7)
            {
                customer.GrantConsent(ConsentPurpose.Marketing, email, null, "web-form:signup", "signup form v3");
                customer.Tag(new CustomerTag("newsletter"));
            }
            else if (consent < 0.8)
            {
                customer.DeclineConsent(ConsentPurpose.Marketing, null, null, "call-centre");
            }

            // Purchases: each customer buys at their own pace until they stop, with their own usual spend.
            var meanGap = 15 + random.Next(180);
            var stopChance = 0.05 + (random.NextDouble() * 0.45);
            var spend = 20 + random.Next(130);
            var at = acquired;
            var n = 0;
            var total = 0m;
            do
            {
                var channel = random.Next(10) switch { < 6 => "web", < 9 => "store", _ => "phone" };
                var amount = spend + random.Next(spend / 2 + 1);
                total += amount;
                touchpoints.Add(New(customer.Id, channel, InteractionDirection.Inbound, CrmFunction.Sales, TouchpointKind.Purchase, at, $"order-{i}-{n++}", revenue: amount));
                at += Duration.FromHours(24 * (1 + random.Next(2 * meanGap)) + random.Next(12));
            }
            while (at < now && random.NextDouble() > stopChance);

            if (total > 600m)
            {
                customer.Tag(new CustomerTag("vip"));
            }

            // Campaign contacts: a monthly email to consenting customers.
            if (consent < 0.7)
            {
                for (var month = acquired + Duration.FromDays(20); month < now; month += Duration.FromDays(30))
                {
                    touchpoints.Add(New(customer.Id, "email", InteractionDirection.Outbound, CrmFunction.Marketing, TouchpointKind.CampaignContact, month, $"campaign-{i}-{month.ToUnixTimeSeconds() / 86400}", cost: 0.02m, campaign: "monthly"));
                }
            }

            // Service: some complain; most of those get a resolution, and say how it went.
            if (random.NextDouble() < 0.18)
            {
                var complained = acquired + Duration.FromDays(5 + random.Next(400));
                if (complained < now)
                {
                    touchpoints.Add(New(customer.Id, "phone", InteractionDirection.Inbound, CrmFunction.Service, TouchpointKind.Complaint, complained, $"ticket-{i}", cost: 4.50m, csat: 1 + random.Next(2)));
                    if (random.NextDouble() < 0.8 && complained + Duration.FromDays(3) < now)
                    {
                        touchpoints.Add(New(customer.Id, "phone", InteractionDirection.Outbound, CrmFunction.Service, TouchpointKind.Resolution, complained + Duration.FromDays(2), $"ticket-{i}-resolved", cost: 3.00m, csat: 4 + random.Next(2)));
                    }
                }
            }

            if (random.NextDouble() < 0.1)
            {
                touchpoints.Add(New(customer.Id, "partner-portal", InteractionDirection.Inbound, CrmFunction.Innovation, TouchpointKind.Idea, acquired + Duration.FromDays(30), $"idea-{i}"));
            }

            registered.Add((customer, acquired));
        }

        foreach (var (customer, _) in registered)
        {
            await customers.SaveAsync(customer, ct);
        }

        // Touchpoints in the order they happened, so each moves its customer through the lifecycle as it would have.
        var ordered = touchpoints.Where(t => t.OccurredAt < now).OrderBy(t => t.OccurredAt).ToList();
        for (var i = 0; i < ordered.Count; i += 1000)
        {
            await ingestion.RecordManyAsync(tenant, ordered.Skip(i).Take(1000), ct);
        }

        // Organisations employ the persons registered after them; every tenth person shares a household with the next.
        for (var i = 0; i < registered.Count; i++)
        {
            var (customer, acquired) = registered[i];
            if (i % 8 == 0)
            {
                for (var j = i + 1; j <= i + 3 && j < registered.Count; j++)
                {
                    await graph.EstablishAsync(tenant, RelationshipType.Employment, customer.Id, registered[j].Customer.Id, acquired, isPrimary: j == i + 1, cancellationToken: ct);
                }
            }
            else if (i % 10 == 1 && i + 1 < registered.Count && (i + 1) % 8 != 0)
            {
                await graph.EstablishAsync(tenant, RelationshipType.Household, customer.Id, registered[i + 1].Customer.Id, acquired, cancellationToken: ct);
            }
        }

        // The nightly evaluation: customers who stopped buying lapse.
        await services.GetRequiredService<LifecycleEvaluator>().EvaluateAsync(tenant, now, ct);

        var segments = services.GetRequiredService<SegmentService>();
        await segments.DefineAsync(tenant, new SegmentId("active-buyers"), "Bought in the last 90 days", new RecencyRule(Duration.FromDays(90), TouchpointKind.Purchase), 0, "Customers with a purchase in the last 90 days.", ct);
        await segments.DefineAsync(tenant, new SegmentId("vip"), "VIP customers", new HasTagRule(new CustomerTag("vip")), 0, "Customers who spent more than 600 GBP.", ct);
        return registered.Count;
    }

    private static NewTouchpoint New(CustomerId customer, string channel, InteractionDirection direction, CrmFunction function, TouchpointKind kind, Instant at, string key,
        decimal? revenue = null, decimal? cost = null, int? csat = null, string? campaign = null) => new()
        {
            CustomerId = customer,
            Channel = new ChannelId(channel),
            Direction = direction,
            Function = function,
            Kind = kind,
            OccurredAt = at,
            Source = new ExternalIdentifier("demo-seed", key),
            Revenue = revenue is null ? null : Money.Of(revenue.Value, "GBP"),
            Cost = cost is null ? null : Money.Of(cost.Value, "GBP"),
            Satisfaction = csat is null ? null : new CsatScore(csat.Value),
            CampaignId = campaign,
        };

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Store: {Store}")]
    private static partial void LogStore(ILogger logger, string store);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Demo tenant {TenantId}: {Customers} customers seeded (0: it had data already)")]
    private static partial void LogSeeded(ILogger logger, string tenantId, int customers);
}
