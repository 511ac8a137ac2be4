using CrmKernel.ContactPoints;
using CrmKernel.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PhoneNumbers;
using PhoneNumber = CrmKernel.ContactPoints.PhoneNumber;
using Xunit;

namespace CrmKernel.Tests.ContactPoints;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("+44 20 7946 0958")]
    [InlineData("+442079460958")]
    [InlineData("  +44 20 7946 0958\t")]
    [InlineData("+44-20-7946-0958")]
    [InlineData("+44.20.7946.0958")]
    [InlineData("+44 (0)20 7946 0958")]
    [InlineData("+44 (20) 7946/0958")]
    [InlineData("+44\u00A020\u20137946\u20130958")]
    [InlineData("+\uFF14\uFF14 \uFF12\uFF10 \uFF17\uFF19\uFF14\uFF16 \uFF10\uFF19\uFF15\uFF18")]
    public void Parse_InternationalForm_GivesE164(string text)
    {
        var phone = PhoneNumber.Parse(text);

        Assert.Equal("+442079460958", phone.NormalizedValue);
        Assert.Equal(ContactPointKind.Phone, phone.Kind);
        Assert.Equal(44, phone.CountryCallingCode);
        Assert.Equal("GB", phone.RegionCode);
    }

    [Theory]
    [InlineData("020 7946 0958", "GB", "+442079460958", "GB")]
    [InlineData("07400 123456", "GB", "+447400123456", "GB")]
    [InlineData("07400 123456", "gb", "+447400123456", "GB")]
    [InlineData("(201) 555-0123", "US", "+12015550123", "US")]
    [InlineData("201.555.0123", "us", "+12015550123", "US")]
    [InlineData("1-201-555-0123", "US", "+12015550123", "US")]
    [InlineData("(506) 234-5678", "CA", "+15062345678", "CA")]
    [InlineData("030 123456", "DE", "+4930123456", "DE")]
    [InlineData("030/123456", "DE", "+4930123456", "DE")]
    [InlineData("01512 3456789", "DE", "+4915123456789", "DE")]
    [InlineData("0049 30 123456", "DE", "+4930123456", "DE")]
    [InlineData("00 44 20 7946 0958", "DE", "+442079460958", "GB")]
    [InlineData("+49 30 123456", "US", "+4930123456", "DE")]
    [InlineData("+44 20 7946 0958", null, "+442079460958", "GB")]
    public void Parse_NationalFormWithDefaultRegion_GivesE164(string text, string? region, string expected, string expectedRegion)
    {
        var phone = PhoneNumber.Parse(text, region);

        Assert.Equal(expected, phone.NormalizedValue);
        Assert.Equal(expectedRegion, phone.RegionCode);
        Assert.True(PhoneNumber.TryParse(text, region, out var tried));
        Assert.Equal(phone, tried);
    }

    [Fact]
    public void Parse_SharedCallingCode_AssignsTheRightRegion()
    {
        var canadian = PhoneNumber.Parse("+1 506 234 5678");
        var american = PhoneNumber.Parse("+1 201 555 0123");

        Assert.Equal((1, "CA"), (canadian.CountryCallingCode, canadian.RegionCode));
        Assert.Equal((1, "US"), (american.CountryCallingCode, american.RegionCode));
    }

    [Fact]
    public void Parse_NonGeographicNumber_HasNoRegion()
    {
        var freephone = PhoneNumber.Parse("+800 1234 5678");

        Assert.Equal("+80012345678", freephone.NormalizedValue);
        Assert.Equal(800, freephone.CountryCallingCode);
        Assert.Null(freephone.RegionCode);
    }

    [Fact]
    public void Parse_NationalFormWithoutRegion_ThrowsFormatException()
    {
        var exception = Assert.Throws<FormatException>(() => PhoneNumber.Parse("020 7946 0958"));

        Assert.Contains("'+'", exception.Message, StringComparison.Ordinal);
        PersonalDataAssert.NotInMessage(exception, "020 7946 0958", "7946");
        Assert.False(PhoneNumber.TryParse("020 7946 0958", out _));
    }

    [Theory]
    [InlineData("+44 7700 900123", null)] // Ofcom's range reserved for drama: possible, never assigned
    [InlineData("07700 900123", "GB")]
    [InlineData("+1 555 555 5555", null)] // no area code 555
    [InlineData("+44 20 7946 095", null)] // one digit short
    [InlineData("+44 20 7946 0958 0959", null)] // two numbers run together
    [InlineData("+12345", null)]
    [InlineData("+999 1234567", null)] // unassigned country calling code
    [InlineData("+49 1", null)]
    [InlineData("12345", "DE")]
    public void Parse_InvalidNumber_ThrowsFormatException(string text, string? region)
    {
        var exception = Assert.Throws<FormatException>(() => PhoneNumber.Parse(text, region));

        PersonalDataAssert.NotInMessage(exception, text, "900123", "0959", "1234567");
        Assert.False(PhoneNumber.TryParse(text, region, out var result));
        Assert.Null(result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("+")]
    [InlineData("hello there")]
    [InlineData("+1 800 FLOWERS")]
    [InlineData("+44 20 7946 0958 mobile")]
    [InlineData("call +44 20 7946 0958")]
    [InlineData("tel:+44-20-7946-0958")]
    [InlineData("+44 20 7946 0958 / +44 20 7946 0959")]
    [InlineData("\uFF0B44 20 7946 0958")]
    public void Parse_NotAPhoneNumber_ThrowsFormatException(string text)
    {
        var exception = Assert.Throws<FormatException>(() => PhoneNumber.Parse(text));

        PersonalDataAssert.NotInMessage(exception, text, "7946");
        Assert.False(PhoneNumber.TryParse(text, out var result));
        Assert.Null(result);
    }

    [Theory]
    [InlineData("+44 20 7946 0958 ext. 123")]
    [InlineData("+44 20 7946 0958 x123")]
    [InlineData("+44 20 7946 0958;ext=123")]
    [InlineData("+44 20 7946 0958#123")]
    public void Parse_Extension_ThrowsFormatExceptionSayingE164HasNone(string text)
    {
        var exception = Assert.Throws<FormatException>(() => PhoneNumber.Parse(text));

        Assert.Contains("E.164 has no extension", exception.Message, StringComparison.Ordinal);
        PersonalDataAssert.NotInMessage(exception, text, "7946");
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => PhoneNumber.Parse(null!)).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => PhoneNumber.Parse(null!, "GB")).ParamName);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(PhoneNumber.TryParse(null, out var result));
        Assert.Null(result);
        Assert.False(PhoneNumber.TryParse(null, "GB", out result));
        Assert.Null(result);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("G")]
    [InlineData("GBR")]
    [InlineData("UK")] // not ISO 3166-1; the United Kingdom is GB
    [InlineData("XX")]
    [InlineData("ZZ")]
    [InlineData("001")]
    [InlineData("G1")]
    [InlineData("g\u0131")] // dotless i: upper-cases to "GI" under invariant rules
    public void Parse_UnsupportedDefaultRegion_ThrowsArgumentExceptionNamingIt(string region)
    {
        var exception = Assert.Throws<ArgumentException>(() => PhoneNumber.Parse("020 7946 0958", region));
        Assert.Equal("defaultRegion", exception.ParamName);

        // A bad region is a programming error, so TryParse does not hide it.
        var tryException = Assert.Throws<ArgumentException>(() => PhoneNumber.TryParse("020 7946 0958", region, out _));
        Assert.Equal("defaultRegion", tryException.ParamName);
    }

    [Fact]
    public void Parse_UnsupportedDefaultRegion_IsCheckedBeforeTheText()
    {
        // Even text in international form, which would not need the region, does not excuse a bad one.
        var exception = Assert.Throws<ArgumentException>(() => PhoneNumber.Parse("+44 20 7946 0958", "XX"));
        Assert.Equal("defaultRegion", exception.ParamName);
    }

    [Fact]
    public void Equality_IsByE164Value()
    {
        var international = PhoneNumber.Parse("+44 20 7946 0958");
        var national = PhoneNumber.Parse("020 7946 0958", "GB");

        Assert.Equal(international, national);
        Assert.Equal(international.GetHashCode(), national.GetHashCode());
        Assert.NotEqual(international, PhoneNumber.Parse("+44 20 7946 0959"));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void Parse_FormattedInput_GivesTheE164Value(MessyPhone messy)
        => Assert.Equal(messy.Clean, PhoneNumber.Parse(messy.Text, messy.DefaultRegion));

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void Normalising_Twice_EqualsNormalisingOnce(MessyPhone messy)
    {
        var once = PhoneNumber.Parse(messy.Text, messy.DefaultRegion);
        var twice = PhoneNumber.Parse(once.NormalizedValue);

        Assert.Equal(once, twice);
        Assert.Equal(once.NormalizedValue, twice.NormalizedValue);
        Assert.Equal(once.RegionCode, twice.RegionCode);
        Assert.Equal(once.CountryCallingCode, twice.CountryCallingCode);
    }

    [Property]
    public Property Parse_AnyText_IsRejectedWithFormatExceptionOrNormalisedIdempotently()
    {
        var texts = from prefix in Gen.Elements(string.Empty, "+", "+44 ", "+44 20 ", "+1 201 ", "+49 30 ", "00", "0")
                    from body in TrickyText.From("0123456789012345678901234567890123456789 ()-./x#extEXT;=\uFF11\u2013", 6, 12)
                    from region in Gen.Elements<string?>(null, "GB", "US", "DE", "gb")
                    select (Text: prefix + body, Region: region);

        return Prop.ForAll(texts.ToArbitrary(), input =>
        {
            if (!PhoneNumber.TryParse(input.Text, input.Region, out var once))
            {
                Assert.Throws<FormatException>(() => PhoneNumber.Parse(input.Text, input.Region));
                return;
            }

            var twice = PhoneNumber.Parse(once.NormalizedValue);
            Assert.Equal(once.NormalizedValue, twice.NormalizedValue);
            Assert.Equal(once.RegionCode, twice.RegionCode);
        });
    }

    /// <summary>A number as a person might type it (<see cref="Text"/>, read with <see cref="DefaultRegion"/>) for <see cref="Clean"/>.</summary>
    public sealed record MessyPhone(string Text, string? DefaultRegion, PhoneNumber Clean);

    public static class Arbitraries
    {
        private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

        public static Arbitrary<MessyPhone> MessyPhone()
            => (from clean in CrmGenerators.PhoneNumber
                from national in Gen.Elements(true, false)
                from separator in Gen.Elements(" ", "-", ".", "  ", "\u00A0")
                from before in Gen.Elements(string.Empty, " ", "\t")
                from after in Gen.Elements(string.Empty, " ", "\r\n")
                select Mess(clean, national && clean.RegionCode is not null, separator, before, after)).ToArbitrary();

        private static MessyPhone Mess(PhoneNumber clean, bool national, string separator, string before, string after)
        {
            var number = Util.Parse(clean.NormalizedValue, null);
            var formatted = national
                ? Util.Format(number, PhoneNumberFormat.NATIONAL)
                : Util.Format(number, PhoneNumberFormat.INTERNATIONAL);
            return new MessyPhone(before + formatted.Replace(" ", separator, StringComparison.Ordinal) + after, national ? clean.RegionCode : null, clean);
        }
    }
}
