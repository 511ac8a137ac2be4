using CrmKernel.Consent;
using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using Xunit;

namespace CrmKernel.Testing.Storage;

public abstract partial class CustomerStoreConformanceTests
{
    /// <summary>
    /// A customer with every text at its documented length limit and every collection at its count limit (docs/limits.md)
    /// round-trips unchanged: a store must not truncate, pad or refuse what the kernel accepts.
    /// </summary>
    [Fact]
    public virtual async Task CustomerAtEveryLimit_RoundTripsUnchanged()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = new TenantId(("kit-" + Guid.NewGuid().ToString("N")).PadRight(TenantId.MaxLength, 't'));
        var customer = CustomerAtEveryLimit(tenant);

        await Repository(stores).SaveAsync(customer);

        var expected = customer.ToSnapshot();
        Assert.Equal(Customer.MaxContactPoints, expected.ContactPoints!.Count);
        Assert.Equal(Customer.MaxExternalIdentifiers, expected.ExternalIdentifiers!.Count);
        Assert.Equal(Customer.MaxTags, expected.Tags!.Count);
        Assert.Equal(Customer.MaxCustomAttributes, expected.CustomAttributes!.Count);
        AssertSameState(expected, await stores.Customers.FindAsync(tenant, customer.Id, default));
        AssertSameState(expected, (await Repository(stores).GetAsync(tenant, customer.Id)).ToSnapshot());
    }

    /// <summary>A page larger than <see cref="StoreLimits.MaxPageSize"/> is refused with <c>CRM-INPUT-001</c> naming the limit parameter.</summary>
    [Fact]
    public virtual async Task PageOverTheLimit_IsRefusedWithTheInputLimitCode()
    {
        await using var stores = await CreateStoresAsync();
        var e = await Assert.ThrowsAsync<InputLimitExceededException>(async () => await stores.Customers.PageAsync(NewTenant(), null, StoreLimits.MaxPageSize + 1, default));
        Assert.Equal(CrmErrorCodes.InputLimitExceeded, e.ErrorCode);
        Assert.Equal("limit", e.ParamName);
        Assert.Equal(StoreLimits.MaxPageSize, e.Limit);
        Assert.Empty(await stores.Customers.PageAsync(NewTenant(), null, StoreLimits.MaxPageSize, default));
    }

    private Customer CustomerAtEveryLimit(TenantId tenant)
    {
        var text = new string('n', PartyProfile.MaxTextLength);
        var profile = new PersonProfile(
            "G" + text[1..],
            "F" + text[1..],
            "P" + text[1..],
            new string('h', PersonProfile.MaxHonorificLength),
            preferredLanguage: "en" + string.Concat(Enumerable.Repeat("-abcdefgh", 3)) + "-abcde",
            jobTitle: "J" + text[1..]);
        Assert.Equal(PersonProfile.MaxLanguageTagLength, profile.PreferredLanguage!.Length);
        var customer = Customer.Register(tenant, profile, Clock);

        // The longest email: a 64-byte local part and a 189-character domain make 254 bytes.
        var domain = new string('a', 63) + "." + new string('b', 63) + "." + new string('c', 53) + ".example";
        var longest = EmailAddress.Parse(new string('l', EmailAddress.MaxLocalPartLength) + "@" + domain);
        Assert.Equal(EmailAddress.MaxLength, longest.NormalizedValue.Length);
        var label = new string('x', CustomerContactPoint.MaxLabelLength - 2);
        customer.AddContactPoint(longest, label + "00", makePrimary: true);
        customer.AddContactPoint(SocialHandle.Create(new string('s', SocialHandle.MaxNetworkLength), new string('h', SocialHandle.MaxHandleLength)), label + "01");
        var field = new string('p', PostalAddress.MaxFieldLength);
        customer.AddContactPoint(
            PostalAddress.Create(Enumerable.Range(0, PostalAddress.MaxStreetLines).Select(i => $"{i}{field[1..]}"), "L" + field[1..], "R" + field[1..], "SW1A 1AA", "GB"),
            label + "02");
        for (var i = 3; i < Customer.MaxContactPoints; i++)
        {
            customer.AddContactPoint(EmailAddress.Parse($"c{i}@kit.example"), $"{label}{i:00}");
        }

        var source = new string('s', ExternalIdentifier.MaxSourceLength - 2);
        var key = new string('k', ExternalIdentifier.MaxKeyLength - 2);
        for (var i = 0; i < Customer.MaxExternalIdentifiers; i++)
        {
            customer.AddExternalIdentifier(new ExternalIdentifier($"{source}{i:00}", $"{key}{i:00}"));
        }

        var tag = new string('t', CustomerTag.MaxLength - 3);
        for (var i = 0; i < Customer.MaxTags; i++)
        {
            customer.Tag(new CustomerTag($"{tag}{i:000}"));
        }

        var name = "a" + new string('n', Customer.MaxAttributeNameLength - 4);
        for (var i = 0; i < Customer.MaxCustomAttributes; i++)
        {
            customer.SetCustomAttribute($"{name}{i:000}", CustomAttributeValue.FromText(new string('v', CustomAttributeValue.MaxTextLength)));
        }

        customer.GrantConsent(
            new ConsentPurpose(new string('p', ConsentPurpose.MaxLength)),
            new ChannelId(new string('c', ChannelId.MaxLength)),
            longest,
            new string('s', ConsentEntry.MaxSourceLength),
            new string('e', ConsentEntry.MaxEvidenceLength));
        return customer;
    }
}
