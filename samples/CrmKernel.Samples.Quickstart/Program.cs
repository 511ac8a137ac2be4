// CrmKernel quick-start: register customers of both kinds and print them.
// Run it with: dotnet run --project samples/CrmKernel.Samples.Quickstart
using CrmKernel;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

using var services = new ServiceCollection()
    .AddCrmKernel(_ => { })
    .BuildServiceProvider();
var clock = services.GetRequiredService<IClock>();
var tenant = new TenantId("quickstart");

// A person: profile, contact points (normalised on the way in), an id from the web shop, a tag.
var ada = Customer.Register(tenant, new PersonProfile("Ada", "Lovelace", preferredLanguage: "en-GB"), clock);
ada.AddContactPoint(EmailAddress.Parse("  Ada.Lovelace@Example.COM "), "home");
ada.AddContactPoint(PhoneNumber.Parse("020 7946 0958", "GB"), "mobile");
ada.AddExternalIdentifier(new ExternalIdentifier("webshop", "C-1815"));
ada.Tag(new CustomerTag("Newsletter"));
ada.ChangeHomeTimeZone(DateTimeZoneProviders.Tzdb["Europe/London"]);

// An organisation: legal and trading names, a typed custom attribute.
var engines = Customer.Register(tenant, new OrganizationProfile("Analytical Engines Limited", "Analytical Engines", employeeCount: 42), clock);
engines.AddContactPoint(EmailAddress.Parse("accounts@analytical-engines.example"), "billing");
engines.AddContactPoint(PostalAddress.Create(["1 Engine Row"], "London", null, "ec1a 1bb", "gb"));
engines.SetCustomAttribute("creditLimit", CustomAttributeValue.FromMoney(Money.Of(25_000m, "GBP")));
engines.Tag(new CustomerTag("key account"));

foreach (var customer in new[] { ada, engines })
{
    Console.WriteLine($"{customer.Kind,-12} {customer.DisplayName}  ({customer.Id})");
    foreach (var point in customer.ContactPoints)
    {
        Console.WriteLine($"    {point.Kind,-14} {Show(point.Value)}{(point.IsPrimary ? "  [primary]" : "")}{(point.Label is null ? "" : $"  ({point.Label})")}");
    }

    foreach (var identifier in customer.ExternalIdentifiers)
    {
        Console.WriteLine($"    identifier     {identifier}");
    }

    Console.WriteLine($"    tags           {string.Join(", ", customer.Tags)}");
    foreach (var (name, value) in customer.CustomAttributes)
    {
        Console.WriteLine($"    attribute      {name} = {value.ToInvariantString()} ({value.Type})");
    }

    Console.WriteLine($"    time zone      {customer.HomeTimeZone?.Id ?? "(unknown)"}");
    Console.WriteLine($"    registered     {customer.CreatedAt}; {customer.PendingEvents.Count} events: {string.Join(", ", customer.PendingEvents.Select(e => e.GetType().Name))}");
}

// Contact points print as their normalised value; a postal address reads better line by line.
static string Show(ContactPoint point) => point is PostalAddress address
    ? string.Join(", ", address.StreetLines.Append(address.Locality).Append(address.PostalCode).Append(address.CountryCode).Where(part => !string.IsNullOrEmpty(part)))
    : point.NormalizedValue;
