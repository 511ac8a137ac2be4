using CrmKernel.Consent;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Tests.Customers;
using CrmKernel.Testing;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Consent;

public sealed class ConsentRehydrateTests
{
    [Property(Arbitrary = new[] { typeof(CrmArbitraries) }, MaxTest = 100)]
    public void GeneratedLedgers_SurviveSnapshotAndRehydrate(Customer customer)
    {
        var snapshot = customer.ToSnapshot();
        var rebuilt = Customer.Rehydrate(snapshot, CustomerTestData.Clock());

        Assert.Equal(customer.Consent.Entries, rebuilt.Consent.Entries);
        Assert.Equal(snapshot.Consents, rebuilt.ToSnapshot().Consents);
    }

    [Fact]
    public void GeneratedCustomers_CarryConsent()
    {
        var customers = CrmGenerators.Customer.Sample(size: 20, numberOfSamples: 50);
        Assert.Contains(customers, c => c.Consent.Count > 0);
        Assert.Contains(customers, c => c.Consent.Entries.Any(e => e.Status == ConsentStatus.Withdrawn));
        Assert.Contains(customers, c => c.Consent.Entries.Any(e => e.ContactPoint is not null));
    }

    [Fact]
    public void WithdrawalWithoutGrant_OutOfOrderEntries_NullsAndTooMany_FailLoudly()
    {
        var at = CustomerTestData.Start;
        var grant = new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", at + Duration.FromDays(1));
        var withdrawal = new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Withdrawn, LawfulBasis.Consent, "s", at + Duration.FromDays(2));
        var earlier = new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Declined, LawfulBasis.Consent, "s", at);

        Assert.Single(Rehydrate([grant, withdrawal]).Consent.Entries, e => e.Status == ConsentStatus.Withdrawn);
        AssertInvalid([withdrawal]);
        AssertInvalid([grant, earlier]);
        AssertInvalid([grant, null!]);
        AssertInvalid(null!);
        AssertInvalid([.. Enumerable.Repeat(grant, Customer.MaxConsentEntries + 1)]);
    }

    [Fact]
    public void ConsentForARemovedContactPoint_StaysInTheHistory()
    {
        var clock = CustomerTestData.Clock();
        var customer = CustomerTestData.Person(clock);
        var email = CustomerTestData.Email();
        customer.AddContactPoint(email);
        customer.GrantConsent(ConsentPurpose.Marketing, new ChannelId("email"), email, "web-form");
        customer.RemoveContactPoint(email);

        var rebuilt = Customer.Rehydrate(customer.ToSnapshot(), clock);

        Assert.Equal(email, Assert.Single(rebuilt.Consent.Entries).ContactPoint);
    }

    private static Customer Rehydrate(IReadOnlyList<ConsentEntry> consents)
    {
        var customer = CustomerTestData.Person();
        var snapshot = customer.ToSnapshot();
        return Customer.Rehydrate(
            new CustomerSnapshot { Id = snapshot.Id, TenantId = snapshot.TenantId, Profile = snapshot.Profile, CreatedAt = snapshot.CreatedAt, UpdatedAt = snapshot.UpdatedAt, Version = 1, Consents = consents },
            CustomerTestData.Clock());
    }

    private static void AssertInvalid(IReadOnlyList<ConsentEntry> consents)
    {
        var error = Assert.Throws<InvalidStoredStateException>(() => Rehydrate(consents));
        Assert.Equal(CrmErrorCodes.InvalidStoredState, error.ErrorCode);
    }
}
