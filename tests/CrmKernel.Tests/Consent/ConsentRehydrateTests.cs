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
        AssertInvalid([withdrawal], "a consent withdrawal follows no grant");
        AssertInvalid([grant, earlier], "a consent entry was captured before the entry it follows");
        AssertInvalid([grant, null!], "a consent entry is missing");
        AssertInvalid(null!, "the consent ledger is missing");
        AssertInvalid([.. Enumerable.Repeat(grant, Customer.MaxConsentEntries + 1)], "too many consent entries");
        Assert.Equal(Customer.MaxConsentEntries, Rehydrate([.. Enumerable.Repeat(grant, Customer.MaxConsentEntries)]).Consent.Count);
    }

    /// <summary>
    /// A short ledger is checked by scanning back for each entry's predecessor, a long one (over 32 entries) through an
    /// index of its scopes: both agree with the rule written out here (an entry is not captured before the latest earlier
    /// entry of its scope; a withdrawal follows a grant of its scope), for any sequence over a few scopes, alone and after
    /// 40 grants of other purposes that push it into the indexed check.
    /// </summary>
    [Property(MaxTest = 300)]
    public void ShortAndLongLedgers_AreCheckedByTheSameRule(byte[] codes)
    {
        var at = CustomerTestData.Start;
        var entries = codes.Take(12).Select(code => new ConsentEntry(
            (code & 1) == 0 ? ConsentPurpose.Marketing : ConsentPurpose.Service,
            (code & 2) == 0 ? null : new ChannelId("email"),
            null,
            ((code >> 2) % 3) switch { 0 => ConsentStatus.Granted, 1 => ConsentStatus.Withdrawn, _ => ConsentStatus.Declined },
            LawfulBasis.Consent,
            "s",
            at + Duration.FromHours(code >> 4))).ToList();
        var expected = KeepsTheRule(entries);
        var padding = Enumerable.Range(0, 40).Select(i => new ConsentEntry(new ConsentPurpose($"pad-{i}"), null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", at)).ToList();

        Assert.Equal(expected, IsValid(entries));
        Assert.Equal(expected, IsValid([.. padding, .. entries]));
        if (expected)
        {
            Assert.Equal([.. padding, .. entries], Rehydrate([.. padding, .. entries]).Consent.Entries);
        }
    }

    [Fact]
    public void LongLedgers_WithAWithdrawalWithoutGrant_OrAnEntryOutOfOrder_FailLoudly()
    {
        var at = CustomerTestData.Start;
        var grants = Enumerable.Range(0, 40).Select(i => new ConsentEntry(new ConsentPurpose($"p-{i}"), null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", at + Duration.FromHours(1))).ToList();

        Assert.Equal(40, Rehydrate(grants).Consent.Count);
        AssertInvalid([.. grants, new ConsentEntry(new ConsentPurpose("p-40"), null, null, ConsentStatus.Withdrawn, LawfulBasis.Consent, "s", at + Duration.FromHours(2))], "a consent withdrawal follows no grant");
        AssertInvalid([.. grants, new ConsentEntry(new ConsentPurpose("p-3"), null, null, ConsentStatus.Declined, LawfulBasis.Consent, "s", at)], "a consent entry was captured before the entry it follows");
        Assert.Equal(41, Rehydrate([.. grants, new ConsentEntry(new ConsentPurpose("p-3"), null, null, ConsentStatus.Withdrawn, LawfulBasis.Consent, "s", at + Duration.FromHours(2))]).Consent.Count);
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

    private static bool KeepsTheRule(IReadOnlyList<ConsentEntry> entries)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var previous = entries.Take(i).LastOrDefault(e => e.Purpose == entries[i].Purpose && e.Channel == entries[i].Channel);
            if ((previous is not null && entries[i].CapturedAt < previous.CapturedAt)
                || (entries[i].Status == ConsentStatus.Withdrawn && previous?.Status != ConsentStatus.Granted))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValid(IReadOnlyList<ConsentEntry> consents)
    {
        try
        {
            Rehydrate(consents);
            return true;
        }
        catch (InvalidStoredStateException)
        {
            return false;
        }
    }

    private static void AssertInvalid(IReadOnlyList<ConsentEntry> consents, string reason)
    {
        var error = Assert.Throws<InvalidStoredStateException>(() => Rehydrate(consents));
        Assert.Equal(CrmErrorCodes.InvalidStoredState, error.ErrorCode);
        Assert.EndsWith(": " + reason, error.Message, StringComparison.Ordinal);
    }
}
