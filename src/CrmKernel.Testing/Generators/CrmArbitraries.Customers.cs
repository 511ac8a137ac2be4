using CrmKernel.Customers;
using CrmKernel.Primitives;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using CustomerAggregate = CrmKernel.Customers.Customer;
using CustomerIdValue = CrmKernel.Primitives.CustomerId;
using TenantIdValue = CrmKernel.Primitives.TenantId;

namespace CrmKernel.Testing;

public static partial class CrmArbitraries
{
    /// <summary>Tenant ids (see <see cref="CrmGenerators.TenantId"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<TenantIdValue> TenantId() => CrmGenerators.TenantId.ToArbitrary();

    /// <summary>New customer ids (see <see cref="CrmGenerators.CustomerId"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<CustomerIdValue> CustomerId() => CrmGenerators.CustomerId.ToArbitrary();

    /// <summary>Person or organisation profiles (see <see cref="CrmGenerators.PartyProfile"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<PartyProfile> PartyProfile() => CrmGenerators.PartyProfile.ToArbitrary();

    /// <summary>Person profiles (see <see cref="CrmGenerators.PersonProfile"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<PersonProfile> PersonProfile() => CrmGenerators.PersonProfile.ToArbitrary();

    /// <summary>Organisation profiles (see <see cref="CrmGenerators.OrganizationProfile"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<OrganizationProfile> OrganizationProfile() => CrmGenerators.OrganizationProfile.ToArbitrary();

    /// <summary>External identifiers (see <see cref="CrmGenerators.ExternalIdentifier"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ExternalIdentifier> ExternalIdentifier() => CrmGenerators.ExternalIdentifier.ToArbitrary();

    /// <summary>Tags (see <see cref="CrmGenerators.CustomerTag"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<CustomerTag> CustomerTag() => CrmGenerators.CustomerTag.ToArbitrary();

    /// <summary>Custom attribute values of every type (see <see cref="CrmGenerators.CustomAttributeValue"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<CustomAttributeValue> CustomAttributeValue() => CrmGenerators.CustomAttributeValue.ToArbitrary();

    /// <summary>TZDB time zones (see <see cref="CrmGenerators.TimeZone"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<DateTimeZone> TimeZone() => CrmGenerators.TimeZone.ToArbitrary();

    /// <summary>Customers with every field exercised (see <see cref="CrmGenerators.Customer"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<CustomerAggregate> Customer() => CrmGenerators.Customer.ToArbitrary();
}
