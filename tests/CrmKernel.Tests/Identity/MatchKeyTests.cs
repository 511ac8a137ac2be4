using CrmKernel.Customers;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Identity.IdentityTestData;

namespace CrmKernel.Tests.Identity;

public sealed class MatchKeyTests
{
    [Fact]
    public void Key_IsEqualForTheSameKindAndValue_AndShowsNoValue()
    {
        var key = new MatchKey("email", "ann@example.com");
        Assert.Equal(key, new MatchKey("email", "ann@example.com"));
        Assert.NotEqual(key, new MatchKey("phone", "ann@example.com"));
        Assert.NotEqual(key, new MatchKey("email", "bob@example.com"));
        Assert.NotEqual(new MatchKey("k", "ab", "c"), new MatchKey("k", "a", "bc"));
        Assert.DoesNotContain("ann", key.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("email:", key.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("kind", () => new MatchKey(null!, "x"));
    }

    [Fact]
    public void Email_KeysNormalisedAddresses_AndFoldsGmailAliasesOnlyWhenAsked()
    {
        var a = Person("Ann", "Lee", email: "  Ann.Lee+news@GMAIL.com ");
        var b = Person("Ann", "Lee", email: "annlee@googlemail.com");
        var c = Person("Ann", "Lee", email: "ann.lee+news@gmail.com");
        Assert.Equal(Keys(MatchKeyBuilders.Email, a), Keys(MatchKeyBuilders.Email, c));
        Assert.NotEqual(Keys(MatchKeyBuilders.Email, a), Keys(MatchKeyBuilders.Email, b));
        Assert.Equal(
            Keys(MatchKeyBuilders.Email, MatchRecord.FromSnapshot(a.ToSnapshot(), foldEmailAliases: true)),
            Keys(MatchKeyBuilders.Email, MatchRecord.FromSnapshot(b.ToSnapshot(), foldEmailAliases: true)));
        Assert.Equal(["annlee@gmail.com"], MatchRecord.FromSnapshot(b.ToSnapshot(), foldEmailAliases: true).Emails);
        Assert.Equal(["ann.lee@example.com"], MatchRecord.FromSnapshot(Person("A", "L", email: "Ann.Lee@example.com").ToSnapshot(), foldEmailAliases: true).Emails);
    }

    [Fact]
    public void Phone_KeysE164_WhateverTheFormatTyped()
    {
        var a = Person("Ann", "Lee", phone: "07911 123456");
        var b = Person("Ann", "Lee", phone: "+44 7911-123-456");
        Assert.Single(Keys(MatchKeyBuilders.Phone, a));
        Assert.Equal(Keys(MatchKeyBuilders.Phone, a), Keys(MatchKeyBuilders.Phone, b));
    }

    [Fact]
    public void ExternalIdentifier_KeysSourceAndKey()
    {
        var a = Person("Ann", "Lee", externalId: new ExternalIdentifier("shop", "42"));
        var b = Person("Bob", "Ray", externalId: new ExternalIdentifier("SHOP", " 42 "));
        var c = Person("Bob", "Ray", externalId: new ExternalIdentifier("erp", "42"));
        Assert.Equal(Keys(MatchKeyBuilders.ExternalIdentifier, a), Keys(MatchKeyBuilders.ExternalIdentifier, b));
        Assert.NotEqual(Keys(MatchKeyBuilders.ExternalIdentifier, a), Keys(MatchKeyBuilders.ExternalIdentifier, c));
    }

    [Fact]
    public void NamePostcode_SurvivesATypoInOneNamePartAndSwappedNames()
    {
        var original = Person("Katherine", "Smith", address: ("1 Mill Lane", "AB1 2CD"));
        var typo = Person("Kathrine", "Smyth", address: ("1 Mill Lane", "ab12cd"));
        var swapped = Person("Smith", "Katherine", address: ("1 Mill Lane", "AB1 2CD"));
        var elsewhere = Person("Katherine", "Smith", address: ("1 Mill Lane", "ZZ9 9ZZ"));
        var keys = Keys(MatchKeyBuilders.NamePostcode, original);
        Assert.Equal(2, keys.Count);
        Assert.NotEmpty(keys.Intersect(Keys(MatchKeyBuilders.NamePostcode, typo)));
        Assert.Equal(keys.ToHashSet(), Keys(MatchKeyBuilders.NamePostcode, swapped).ToHashSet());
        Assert.Empty(keys.Intersect(Keys(MatchKeyBuilders.NamePostcode, elsewhere)));
        Assert.Empty(Keys(MatchKeyBuilders.NamePostcode, Person("Ann", "Lee")));
    }

    [Fact]
    public void NameBirthDate_KeysNamePartsWithTheDate()
    {
        var born = new LocalDate(1980, 5, 6);
        Assert.Equal(Keys(MatchKeyBuilders.NameBirthDate, Person("Ann", "Lee", born)), Keys(MatchKeyBuilders.NameBirthDate, Person("Ann", "Lee", born)));
        Assert.Empty(Keys(MatchKeyBuilders.NameBirthDate, Person("Ann", "Lee")));
    }

    [Fact]
    public void PersonKeys_AreNotBuiltForOrganisations_AndOrganisationKeysNotForPersons()
    {
        var organization = Organization("Acme Trading Ltd", registration: "0123 4567", address: ("1 Mill Lane", "AB1 2CD"));
        var person = Person("Acme", "Trading", address: ("1 Mill Lane", "AB1 2CD"));
        Assert.Empty(Keys(MatchKeyBuilders.NamePostcode, organization));
        Assert.Empty(Keys(MatchKeyBuilders.OrganizationName, person));
        Assert.Single(Keys(MatchKeyBuilders.OrganizationName, organization));
        Assert.Equal(Keys(MatchKeyBuilders.OrganizationName, organization), Keys(MatchKeyBuilders.OrganizationName, Organization("ACME Trading Limited", address: ("2 Mill Lane", "AB12CD"))));
        Assert.Equal(Keys(MatchKeyBuilders.Registration, organization), Keys(MatchKeyBuilders.Registration, Organization("Other", registration: "01234567")));
    }

    [Fact]
    public void Builders_CheckTheirArguments()
    {
        foreach (var builder in MatchKeyBuilders.Default)
        {
            Assert.Throws<ArgumentNullException>("record", () => builder.AddKeys(null!, new List<MatchKey>()));
            Assert.Throws<ArgumentNullException>("keys", () => builder.AddKeys(Record(Person("Ann", "Lee")), null!));
        }
    }

    [Fact]
    public void Record_NormalisesNamesAndCodes_AndShowsNoPersonalData()
    {
        var record = Record(Person("  José-María ", "O'Brien", address: ("Flat 2", "ab1 2cd")));
        Assert.Equal("JOSEMARIA", record.GivenName);
        Assert.Equal("OBRIEN", record.FamilyName);
        Assert.Equal("AB12CD", record.PostalCode);
        Assert.Equal(PartyKind.Person, record.Kind);
        Assert.DoesNotContain("OBRIEN", record.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ACME", MatchRecord.NormalizeOrganizationName("The ACME Company Ltd."));
        Assert.Null(MatchRecord.NormalizeOrganizationName("Ltd."));
        Assert.Null(MatchRecord.NormalizeName("--"));
        Assert.Throws<ArgumentNullException>("snapshot", () => MatchRecord.FromSnapshot(null!));
    }

    private static List<MatchKey> Keys(IMatchKeyBuilder builder, Customer customer) => Keys(builder, Record(customer));

    private static List<MatchKey> Keys(IMatchKeyBuilder builder, MatchRecord record)
    {
        var keys = new List<MatchKey>();
        builder.AddKeys(record, keys);
        return keys;
    }
}
