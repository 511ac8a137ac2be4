// CrmKernel quick-start: customers of both kinds, their relationships and their timeline, the lifecycle, metrics, a campaign, a won deal, a service case and a customer's idea.
// Run it with: dotnet run --project samples/CrmKernel.Samples.Quickstart [path/to/database.db]
//          or: dotnet run --project samples/CrmKernel.Samples.Quickstart -- --postgres "Host=…;Database=…;Username=…"
// Data is kept in a SQLite file (in your local data folder unless a path is given), so a second run
// finds what the first stored. Every step is idempotent: customers are found by their source system's key before they are registered,
// relationships are established once, and touchpoints are recorded under their source keys.
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Relationships;
using CrmKernel.Services.Timeline;
using CrmKernel;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Relationships;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

// With --postgres "<connection string>" the same data lives in a PostgreSQL database instead of the SQLite file.
var postgres = args.Length > 1 && args[0] == "--postgres" ? args[1] : null;
var database = postgres is not null
    ? null
    : args.Length > 0
        ? Path.GetFullPath(args[0])
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "CrmKernel", "quickstart.db");
if (database is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(database)!);
    Console.WriteLine($"Database: {database}\n");
}
else
{
    var target = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
    Console.WriteLine($"Database: PostgreSQL {target.Host}:{target.Port}/{target.Database}\n");
}

// Customers, the outbox, touchpoints and relationships all live in the SQLite file (or the PostgreSQL database); a
// second run finds them there (relationships are established once, touchpoints are re-delivered idempotently under
// their source keys).
await using var services = new ServiceCollection()
    .AddCrmKernel(kernel =>
    {
        if (postgres is not null)
        {
            kernel.UsePostgreSql(postgres);
        }
        else
        {
            kernel.UseSqlite($"Data Source={database}");
        }
    })
    .BuildServiceProvider();
var clock = services.GetRequiredService<IClock>();
var customers = services.GetRequiredService<CustomerRepository>();
var graph = services.GetRequiredService<RelationshipGraph>();
var ingestion = services.GetRequiredService<TouchpointIngestion>();
var timeline = services.GetRequiredService<CustomerTimeline>();
var tenant = new TenantId("quickstart");

// 1. Customers of both kinds.
var ada = await FindOrRegisterAsync(new ExternalIdentifier("webshop", "C-1815"), () =>
{
    var person = Customer.Register(tenant, new PersonProfile("Ada", "Lovelace", preferredLanguage: "en-GB"), clock);
    person.AddContactPoint(EmailAddress.Parse("  Ada.Lovelace@Example.COM "), "home");
    person.AddContactPoint(PhoneNumber.Parse("020 7946 0958", "GB"), "mobile");
    person.Tag(new CustomerTag("Newsletter"));
    person.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["Europe/London"]);
    return person;
});
var william = await FindOrRegisterAsync(new ExternalIdentifier("webshop", "C-1805"), () =>
    Customer.Register(tenant, new PersonProfile("William", "King", honorific: "Earl"), clock));
var engines = await FindOrRegisterAsync(new ExternalIdentifier("erp", "ORG-42"), () =>
{
    var organisation = Customer.Register(tenant, new OrganizationProfile("Analytical Engines Limited", "Analytical Engines", employeeCount: 42), clock);
    organisation.AddContactPoint(EmailAddress.Parse("accounts@analytical-engines.example"), "billing");
    organisation.AddContactPoint(PostalAddress.Create(["1 Engine Row"], "London", null, "ec1a 1bb", "gb"));
    organisation.SetCustomAttribute("creditLimit", CustomAttributeValue.FromMoney(Money.Of(25_000m, "GBP")));
    organisation.Tag(new CustomerTag("key account"));
    return organisation;
});

Console.WriteLine($"== {await customers.CountAsync(tenant)} customers");
await foreach (var customer in customers.StreamAsync(tenant))
{
    Print(customer);
}

// 2. Relationships: Ada works for Analytical Engines, and shares a household with William.
var since = Instant.FromUtc(2024, 1, 1, 0, 0);
await EnsureRelationshipAsync(RelationshipType.Employment, engines.Id, ada.Id, isPrimary: true);
await EnsureRelationshipAsync(RelationshipType.Household, ada.Id, william.Id, isPrimary: false);
var now = clock.GetCurrentInstant();
Console.WriteLine("\n== Relationships");
foreach (var employee in await graph.NeighboursAsync(tenant, engines.Id, "employee", now))
{
    Console.WriteLine($"    {engines.DisplayName} employs {Name(employee.Party)}{(employee.Via.IsPrimary ? " (primary employer)" : "")}");
}

foreach (var member in await graph.HouseholdAsync(tenant, ada.Id, now))
{
    Console.WriteLine($"    {ada.DisplayName} shares a household with {Name(member)}");
}

// 3. Touchpoints from every department, recorded under their source keys.
await Record(ada.Id, "web", CrmFunction.Sales, TouchpointKind.Purchase, new(2025, 11, 3), "webshop", "order-1001", revenue: 49.90m);
await Record(ada.Id, "email", CrmFunction.Marketing, TouchpointKind.CampaignContact, new(2025, 11, 20), "mailer", "spring-ada", cost: 0.02m, direction: InteractionDirection.Outbound);
await Record(ada.Id, "phone", CrmFunction.Service, TouchpointKind.Complaint, new(2025, 12, 2), "helpdesk", "T-77", cost: 4.50m, satisfaction: new CsatScore(2));
await Record(ada.Id, "phone", CrmFunction.Service, TouchpointKind.Resolution, new(2025, 12, 4), "helpdesk", "T-77-resolved", cost: 3.00m, satisfaction: new CsatScore(5));
await Record(william.Id, "store:london", CrmFunction.Sales, TouchpointKind.Purchase, new(2025, 12, 10), "pos", "receipt-9", revenue: 120m);
await Record(engines.Id, "partner/portal", CrmFunction.Innovation, TouchpointKind.Idea, new(2026, 1, 15), "ideas", "idea-3");

Console.WriteLine($"\n== {ada.DisplayName}'s timeline, with her employer and household");
await foreach (var entry in timeline.StreamWithRelatedAsync(tenant, new TimelineFilter([ada.Id]), now))
{
    var t = entry.Touchpoint;
    var via = entry.Via is null ? "" : $"  via {entry.Via.Type} ({Name(t.CustomerId)})";
    Console.WriteLine($"    {t.OccurredAt.InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date:yyyy-MM-dd}  {t.Function,-10} {t.Kind,-17} on {t.Channel,-15}{(t.Satisfaction is null ? "" : $" {t.Satisfaction}")}{via}");
}

var mix = await timeline.ChannelMixAsync(tenant, new TimelineFilter([ada.Id]));
Console.WriteLine($"\n== {ada.DisplayName}'s channel mix");
foreach (var row in mix.ByChannel)
{
    Console.WriteLine($"    {row.Key,-8} {row.Contacts} contacts  cost {row.Cost?.ToString() ?? "-",-10} revenue {row.Revenue?.ToString() ?? "-"}");
}

// 4. The customer lifecycle: stages, transitions and their history.
await LifecycleDemo.RunAsync();
// 5. The four-level metric hierarchy over the demo data.
await CrmKernel.Samples.Quickstart.MetricsDemo.RunAsync(services, tenant);

// 6. A campaign through the channel dispatcher: consent, quiet hours and what each customer got, and why.
await CrmKernel.Samples.Quickstart.CampaignDemo.RunAsync();

// 7. Sales: a pipeline and a deal worked and won; the win is a purchase, so the buyer moves on in the lifecycle.
await CrmKernel.Samples.Quickstart.SalesDemo.RunAsync(services);

// 8. Service: a complaint becomes a case, is worked, escalated, resolved, reopened and resolved to the customer's
// satisfaction; the resolution and the score move the customer from dissatisfied to recovered.
await CrmKernel.Samples.Quickstart.ServiceDemo.RunAsync(services);

// 9. Segments: a named, versioned rule evaluated as of any instant, built on by another segment, checked when defined
// (an undeclared attribute is refused) and frozen as a snapshot, the dimension reports take and the audience a campaign sends to.
await CrmKernel.Samples.Quickstart.SegmentsDemo.RunAsync(services);

// 10. Channels and profit: each customer's margin under their channel mix and under a cheaper one; the win-back view.
await CrmKernel.Samples.Quickstart.ChannelMixDemo.RunAsync(services, tenant);

// 11. Acquisition: how prospects became customers, by product and by channel, under an attribution rule.
await CrmKernel.Samples.Quickstart.AcquisitionDemo.RunAsync(services);

// 12. Import: a CSV export with per-row errors, imported twice (the second time changes nothing).
await CrmKernel.Samples.Quickstart.ImportDemo.RunAsync(services);

// 13. Duplicates: the same person signed up twice, found by blocking keys and scored field by field.
await CrmKernel.Samples.Quickstart.DuplicatesDemo.RunAsync(services);

// 14. Innovation: a customer's idea ingested idempotently, voted on, commented on, moved through the workflow to Shipped,
// and the loop closed: every participant who consented is told once, the others not at all.
await CrmKernel.Samples.Quickstart.InnovationDemo.RunAsync(services);

// 15. Prediction market: customers trade points on whether an idea will be adopted (LMSR prices are probabilities);
// the market closes, resolves and pays out, and its forecast is scored (Brier).
await CrmKernel.Samples.Quickstart.PredictionMarketDemo.RunAsync(services);

// 16. Privacy: a customer erased to a pseudonymous shell (her purchases still count), her export, and a lawful hold.
await CrmKernel.Samples.Quickstart.PrivacyDemo.RunAsync(services);

// 17. Merge: two records of one person merged (purchases and identifiers move to the survivor) and the merge undone.
await CrmKernel.Samples.Quickstart.MergeDemo.RunAsync(services);

async Task<Customer> FindOrRegisterAsync(ExternalIdentifier key, Func<Customer> register)
{
    if (await customers.FindByExternalIdentifierAsync(tenant, key) is { } existing)
    {
        return existing;
    }

    var customer = register();
    customer.AddExternalIdentifier(key);
    await customers.SaveAsync(customer);
    return customer;
}

async Task EnsureRelationshipAsync(RelationshipType type, CustomerId from, CustomerId to, bool isPrimary)
{
    var existing = await graph.AsOfAsync(tenant, to, since);
    if (!existing.Any(r => r.Type.Equals(type) && r.Involves(from)))
    {
        await graph.EstablishAsync(tenant, type, from, to, since, isPrimary: isPrimary);
    }
}

async Task Record(CustomerId customer, string channel, CrmFunction function, TouchpointKind kind, LocalDate day, string source, string key,
    decimal? revenue = null, decimal? cost = null, SatisfactionScore? satisfaction = null, InteractionDirection direction = InteractionDirection.Inbound)
    => await ingestion.RecordAsync(tenant, new NewTouchpoint
    {
        CustomerId = customer,
        Channel = new ChannelId(channel),
        Direction = direction,
        Function = function,
        Kind = kind,
        OccurredAt = day.At(new LocalTime(10, 0)).InUtc().ToInstant(),
        Source = new ExternalIdentifier(source, key),
        Revenue = revenue is null ? null : Money.Of(revenue.Value, "GBP"),
        Cost = cost is null ? null : Money.Of(cost.Value, "GBP"),
        Satisfaction = satisfaction,
    });

string Name(CustomerId id) => id == ada.Id ? ada.DisplayName : id == william.Id ? william.DisplayName : id == engines.Id ? engines.DisplayName : id.ToString();

static void Print(Customer customer)
{
    Console.WriteLine($"{customer.Kind,-12} {customer.DisplayName}  (version {customer.Version}, {customer.Id})");
    foreach (var point in customer.ContactPoints)
    {
        Console.WriteLine($"    {point.Kind,-14} {Show(point.Value)}{(point.IsPrimary ? "  [primary]" : "")}{(point.Label is null ? "" : $"  ({point.Label})")}");
    }

    foreach (var identifier in customer.ExternalIdentifiers)
    {
        Console.WriteLine($"    identifier     {identifier}");
    }

    if (customer.Tags.Count > 0)
    {
        Console.WriteLine($"    tags           {string.Join(", ", customer.Tags)}");
    }

    foreach (var (name, value) in customer.CustomAttributes)
    {
        Console.WriteLine($"    attribute      {name} = {value.ToInvariantString()} ({value.Type})");
    }

    Console.WriteLine($"    time zone      {customer.HomeTimeZone?.Id ?? "(unknown)"}; registered {customer.CreatedAt}");
}

// Contact points print as their normalised value; a postal address reads better line by line.
static string Show(ContactPoint point) => point is PostalAddress address
    ? string.Join(", ", address.StreetLines.Append(address.Locality).Append(address.PostalCode).Append(address.CountryCode).Where(part => !string.IsNullOrEmpty(part)))
    : point.NormalizedValue;
