using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Primitives;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Customers;

internal static class CustomerTestData
{
    public static readonly TenantId Tenant = new("acme");
    public static readonly Instant Start = Instant.FromUtc(2026, 3, 1, 10, 0);

    public static FakeClock Clock() => new(Start, Duration.FromSeconds(1));

    public static PersonProfile Ada => new("Ada", "Lovelace");

    public static OrganizationProfile Engines => new("Analytical Engines Limited", "Analytical Engines");

    public static EmailAddress Email(string local = "ada") => EmailAddress.Parse($"{local}@example.com");

    public static Customer Person(IClock? clock = null) => Customer.Register(Tenant, Ada, clock ?? Clock());
}
