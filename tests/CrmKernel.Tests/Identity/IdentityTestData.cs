using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using NodaTime;
using NodaTime.Testing;

namespace CrmKernel.Tests.Identity;

internal static class IdentityTestData
{
    public static readonly TenantId Tenant = new("acme");

    public static FakeClock Clock() => new(Instant.FromUtc(2026, 3, 1, 10, 0), Duration.FromSeconds(1));

    public static Customer Person(string? given, string? family, LocalDate? birthDate = null, string? email = null, string? phone = null, (string Line, string Postcode)? address = null, ExternalIdentifier? externalId = null)
        => With(Customer.Register(Tenant, CustomerId.New(), new PersonProfile(given, family, birthDate: birthDate), Clock()), email, phone, address, externalId);

    public static Customer Organization(string legalName, string? registration = null, string? email = null, string? phone = null, (string Line, string Postcode)? address = null)
        => With(Customer.Register(Tenant, CustomerId.New(), new OrganizationProfile(legalName, registrationNumber: registration), Clock()), email, phone, address, null);

    public static MatchRecord Record(Customer customer) => MatchRecord.FromSnapshot(customer.ToSnapshot());

    private static Customer With(Customer customer, string? email, string? phone, (string Line, string Postcode)? address, ExternalIdentifier? externalId)
    {
        if (email is not null)
        {
            customer.AddContactPoint(EmailAddress.Parse(email));
        }

        if (phone is not null)
        {
            customer.AddContactPoint(PhoneNumber.Parse(phone, "GB"));
        }

        if (address is { } a)
        {
            customer.AddContactPoint(PostalAddress.Create([a.Line], "London", null, a.Postcode, "GB"));
        }

        if (externalId is not null)
        {
            customer.AddExternalIdentifier(externalId);
        }

        return customer;
    }
}
