using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Identity;
using CrmKernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CrmKernel.Samples.Quickstart;

/// <summary>
/// The quick-start's duplicates part, in a tenant of its own: the same woman signed up twice (a typo in her given name,
/// another email address, the street abbreviated) and a relative at the same address; the scan pairs the two sign-ups
/// as a definite duplicate with each field's similarity and weight, and keeps the relative apart. Customers are found by
/// their email address, so a re-run registers nobody twice and prints the same.
/// </summary>
internal static class DuplicatesDemo
{
    public static async Task RunAsync(IServiceProvider services)
    {
        var tenant = new TenantId("quickstart-duplicates");
        var clock = services.GetRequiredService<IClock>();
        var customers = services.GetRequiredService<CustomerRepository>();
        var store = services.GetRequiredService<ICustomerStore>();
        var names = new Dictionary<CustomerId, string>
        {
            [await SignUp("Grace", "Hopper", new LocalDate(1906, 12, 9), "grace@navy.example", "1 Harbour Road")] = "Grace Hopper",
            [await SignUp("Grase", "Hopper", new LocalDate(1906, 12, 9), "g.hopper@cobol.example", "1 HARBOUR RD")] = "Grase Hopper",
            [await SignUp("Mary", "Hopper", new LocalDate(1931, 4, 2), "mary@navy.example", "1 Harbour Road")] = "Mary Hopper",
        };

        var scan = await services.GetRequiredService<DuplicateDetector>().FindCandidatesAsync(tenant);
        Console.WriteLine($"\n== Duplicates: {scan.CustomersScanned} customers scanned, {scan.PairsScored} pairs scored (only those sharing a blocking key)");
        foreach (var pair in scan.Candidates)
        {
            Console.WriteLine($"    {names[pair.FirstId]} and {names[pair.SecondId]}: {pair.Decision}, score {pair.Score:0.0}");
            Console.WriteLine($"        {string.Join(", ", pair.Comparisons.Where(c => c.Similarity is not null))}");
        }

        async Task<CustomerId> SignUp(string given, string family, LocalDate born, string email, string street)
        {
            // Found again on a re-run by the sign-up's email address (a sign-up form gives no other key).
            var address = EmailAddress.Parse(email);
            if ((await store.ListByContactPointAsync(tenant, address, default)).FirstOrDefault() is { } existing)
            {
                return existing.Id;
            }

            var customer = Customer.Register(tenant, new PersonProfile(given, family, birthDate: born), clock);
            customer.AddContactPoint(address);
            customer.AddContactPoint(PostalAddress.Create([street], "Arlington", null, "22201", "US"));
            await customers.SaveAsync(customer);
            return customer.Id;
        }
    }
}
