using CrmKernel.Diagnostics;
using CrmKernel.Customers;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Customers;

public sealed class ProfileTests
{
    [Fact]
    public void PersonProfile_CleansText_AndDerivesDisplayName()
    {
        var profile = new PersonProfile("  Ada  ", " Lovelace\t", honorific: " Countess ", preferredLanguage: "en-GB");
        Assert.Equal("Ada", profile.GivenName);
        Assert.Equal("Lovelace", profile.FamilyName);
        Assert.Equal("Countess", profile.Honorific);
        Assert.Equal("en-GB", profile.PreferredLanguage);
        Assert.Equal("Ada Lovelace", profile.DisplayName);
        Assert.Equal(PartyKind.Person, profile.Kind);
    }

    [Fact]
    public void PersonProfile_PreferredName_IsTheDisplayName()
        => Assert.Equal("Ada", new PersonProfile("Augusta Ada", "King", preferredName: "Ada").DisplayName);

    [Fact]
    public void PersonProfile_FamilyNameOnly_IsEnough()
        => Assert.Equal("Lovelace", new PersonProfile(null, "Lovelace").DisplayName);

    [Fact]
    public void PersonProfile_CollapsesInnerWhiteSpace()
        => Assert.Equal("Mary Ann", new PersonProfile("Mary \n  Ann", null).GivenName);

    [Fact]
    public void PersonProfile_BlankOptionalFields_BecomeNull()
    {
        var profile = new PersonProfile("Ada", "  ", honorific: "", jobTitle: " ");
        Assert.Null(profile.FamilyName);
        Assert.Null(profile.Honorific);
        Assert.Null(profile.JobTitle);
    }

    [Fact]
    public void PersonProfile_NoName_IsRejected()
        => Assert.Equal("givenName", Assert.Throws<ArgumentException>(() => new PersonProfile(" ", null)).ParamName);

    [Fact]
    public void PersonProfile_ControlCharacter_IsRejectedNamingTheField()
        => Assert.Equal("familyName", Assert.Throws<ArgumentException>(() => new PersonProfile("Ada", "Love\u0007lace")).ParamName);

    [Fact]
    public void PersonProfile_TooLong_IsRejectedNamingTheField()
        => Assert.Equal("jobTitle", Assert.Throws<InputLimitExceededException>(() => new PersonProfile("Ada", null, jobTitle: new string('x', 201))).ParamName);

    [Theory]
    [InlineData("english")]
    [InlineData("e")]
    [InlineData("en_GB")]
    [InlineData("1n")]
    public void PersonProfile_MalformedLanguage_IsRejected(string language)
        => Assert.Equal("preferredLanguage", Assert.Throws<ArgumentException>(() => new PersonProfile("Ada", null, preferredLanguage: language)).ParamName);

    [Fact]
    public void PersonProfile_WithMethods_ReturnNewValuesAndKeepTheRest()
    {
        var profile = new PersonProfile("Ada", "Lovelace", honorific: "Countess");
        var born = profile.WithBirthDate(new LocalDate(1815, 12, 10));
        Assert.Null(profile.BirthDate);
        Assert.Equal(new LocalDate(1815, 12, 10), born.BirthDate);
        Assert.Equal("Countess", born.Honorific);
        Assert.Equal("fr", born.WithPreferredLanguage("fr").PreferredLanguage);
        Assert.Equal("Analyst", born.WithTitles(null, "Analyst").JobTitle);
        Assert.NotEqual(profile, born);
    }

    [Fact]
    public void Profiles_EqualByValue_AndNeverAcrossKinds()
    {
        Assert.Equal(new PersonProfile("Ada", "Lovelace"), new PersonProfile(" Ada", "Lovelace "));
        Assert.Equal(new PersonProfile("Ada", "Lovelace").GetHashCode(), new PersonProfile(" Ada", "Lovelace ").GetHashCode());
        Assert.False(new PersonProfile("Acme", null).Equals(new OrganizationProfile("Acme")));
    }

    [Fact]
    public void OrganizationProfile_TradingName_IsTheDisplayName()
    {
        Assert.Equal("Acme", new OrganizationProfile("Acme Holdings plc", "Acme").DisplayName);
        Assert.Equal("Acme Holdings plc", new OrganizationProfile("Acme Holdings plc").DisplayName);
        Assert.Equal(PartyKind.Organization, new OrganizationProfile("Acme").Kind);
    }

    [Fact]
    public void OrganizationProfile_BlankLegalName_IsRejected()
        => Assert.Equal("legalName", Assert.Throws<ArgumentException>(() => new OrganizationProfile("  ")).ParamName);

    [Theory]
    [InlineData("ftp://example.com/")]
    [InlineData("mailto:info@example.com")]
    public void OrganizationProfile_NonHttpWebsite_IsRejected(string website)
        => Assert.Equal("website", Assert.Throws<ArgumentException>(() => new OrganizationProfile("Acme", website: new Uri(website))).ParamName);

    [Fact]
    public void OrganizationProfile_RelativeWebsite_IsRejected()
        => Assert.Equal("website", Assert.Throws<ArgumentException>(() => new OrganizationProfile("Acme", website: new Uri("/about", UriKind.Relative))).ParamName);

    [Fact]
    public void OrganizationProfile_NegativeHeadCount_IsRejected()
        => Assert.Equal("employeeCount", Assert.Throws<ArgumentException>(() => new OrganizationProfile("Acme", employeeCount: -1)).ParamName);

    [Fact]
    public void OrganizationProfile_RegistrationTooLong_IsRejected()
        => Assert.Equal("registrationNumber", Assert.Throws<InputLimitExceededException>(() => new OrganizationProfile("Acme", registrationNumber: new string('1', 65))).ParamName);

    [Fact]
    public void OrganizationProfile_WithMethods_ReturnNewValues()
    {
        var acme = new OrganizationProfile("Acme Ltd");
        var changed = acme.WithNames("Acme Group Ltd", "Acme").WithRegistration("01234567", "GB123456789").WithFirmographics("Retail", new Uri("https://acme.example/"), 250);
        Assert.Equal("Acme", changed.DisplayName);
        Assert.Equal("01234567", changed.RegistrationNumber);
        Assert.Equal("GB123456789", changed.TaxId);
        Assert.Equal(250, changed.EmployeeCount);
        Assert.Equal("Retail", changed.Industry);
        Assert.Null(acme.TradingName);
    }
}
