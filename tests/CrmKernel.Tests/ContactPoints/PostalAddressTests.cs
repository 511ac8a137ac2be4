using CrmKernel.Diagnostics;
using System.Text;
using CrmKernel.ContactPoints;
using CrmKernel.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.ContactPoints;

public class PostalAddressTests
{
    [Fact]
    public void Create_CleansUpEveryField()
    {
        var address = PostalAddress.Create(["  10  Downing\tStreet ", "", "   "], " City of\r\nWestminster ", "  Greater   London ", " sw1a  2aa ", " gb ");

        Assert.Equal(["10 Downing Street"], address.StreetLines);
        Assert.Equal("City of Westminster", address.Locality);
        Assert.Equal("Greater London", address.Region);
        Assert.Equal("SW1A 2AA", address.PostalCode);
        Assert.Equal("GB", address.CountryCode);
        Assert.Equal(ContactPointKind.PostalAddress, address.Kind);
    }

    [Fact]
    public void NormalizedValue_IsCountryRegionLocalityPostalCodeThenStreetLines_OnePerLine()
    {
        var address = PostalAddress.Create(["Flat 2", "10 High Street"], "Manchester", "Greater Manchester", "M1 1AE", "GB");

        Assert.Equal("GB\nGreater Manchester\nManchester\nM1 1AE\nFlat 2\n10 High Street", address.NormalizedValue);
    }

    [Fact]
    public void NormalizedValue_LeavesEmptyLinesForAbsentFields()
    {
        Assert.Equal("GB\n\nLondon\nSW1A 2AA\n10 Downing Street", PostalAddress.Create(["10 Downing Street"], "London", null, "SW1A 2AA", "GB").NormalizedValue);
        Assert.Equal("FR\n\nParis\n", PostalAddress.Create([], "Paris", null, null, "FR").NormalizedValue);
        Assert.Equal("SG\n\n\n048616\n1 Raffles Place", PostalAddress.Create(["1 Raffles Place"], null, null, "048616", "SG").NormalizedValue);
    }

    [Fact]
    public void Create_KeepsTheCaseOfStreetLinesLocalityAndRegion()
    {
        var address = PostalAddress.Create(["10 downing STREET"], "lONDON", "greater london", "sw1a 2aa", "gb");

        Assert.Equal("10 downing STREET", address.StreetLines[0]);
        Assert.Equal("lONDON", address.Locality);
        Assert.Equal("greater london", address.Region);
        Assert.NotEqual(address, PostalAddress.Create(["10 Downing Street"], "London", "Greater London", "SW1A 2AA", "GB"));
    }

    [Fact]
    public void Create_PutsTextInNfc()
    {
        var decomposed = PostalAddress.Create(["Marienplatz 8"], "Mu\u0308nchen", null, "80331", "DE");
        var composed = PostalAddress.Create(["Marienplatz 8"], "München", null, "80331", "DE");

        Assert.Equal(composed, decomposed);
        Assert.Equal("München", decomposed.Locality);
    }

    [Fact]
    public void Create_BlankOptionalFieldsBecomeNull()
    {
        var address = PostalAddress.Create(["1 Main St"], "  ", "\t", "", "US");

        Assert.Null(address.Locality);
        Assert.Null(address.Region);
        Assert.Null(address.PostalCode);
    }

    [Fact]
    public void Create_LocalityWithoutStreetLines_IsAccepted()
    {
        var address = PostalAddress.Create([], "Paris", null, "75008", "FR");

        Assert.Empty(address.StreetLines);
        Assert.Equal("Paris", address.Locality);
    }

    [Fact]
    public void Create_StreetLinesWithoutLocality_AreAccepted()
        => Assert.Null(PostalAddress.Create(["1 Raffles Place"], null, null, "048616", "SG").Locality);

    [Fact]
    public void Create_FiveStreetLines_AreAccepted_AndBlankLinesDoNotCount()
    {
        string[] lines = ["Line 1", "", "Line 2", "Line 3", " ", "Line 4", "Line 5", ""];

        Assert.Equal(PostalAddress.MaxStreetLines, PostalAddress.Create(lines, "Town", null, null, "GB").StreetLines.Count);
    }

    [Fact]
    public void Create_LongestFields_AreAccepted_AndLengthIsMeasuredAfterCleanUp()
    {
        var longest = new string('a', PostalAddress.MaxFieldLength);
        var spacedOut = "a" + new string(' ', 300) + "b";

        var address = PostalAddress.Create([longest, spacedOut], longest, longest, longest, "GB");

        Assert.Equal("a b", address.StreetLines[1]);
    }

    [Fact]
    public void StreetLines_CannotBeChangedFromOutside()
    {
        var lines = new List<string> { "1 Main St" };
        var address = PostalAddress.Create(lines, null, null, null, "US");
        lines[0] = "2 Other St";

        Assert.Equal("1 Main St", address.StreetLines[0]);
        Assert.False(address.StreetLines is string[]);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)address.StreetLines)[0] = "3 Third St");
    }

    [Fact]
    public void Create_NullStreetLines_ThrowsArgumentNullException()
        => Assert.Equal("streetLines", Assert.Throws<ArgumentNullException>(() => PostalAddress.Create(null!, "London", null, null, "GB")).ParamName);

    [Fact]
    public void Create_NullCountryCode_ThrowsArgumentNullException()
        => Assert.Equal("countryCode", Assert.Throws<ArgumentNullException>(() => PostalAddress.Create(["1 Main St"], null, null, null, null!)).ParamName);

    [Fact]
    public void Create_NullStreetLine_ThrowsArgumentExceptionNamingStreetLines()
        => AssertRejected("streetLines", () => PostalAddress.Create(["1 Main St", null!], null, null, null, "US"));

    [Fact]
    public void Create_NeitherStreetLineNorLocality_ThrowsArgumentExceptionNamingStreetLines()
    {
        AssertRejected("streetLines", () => PostalAddress.Create([], null, "Region", "12345", "US"));
        AssertRejected("streetLines", () => PostalAddress.Create(["  ", ""], "  ", null, null, "US"));
    }

    [Fact]
    public void Create_SixStreetLines_ThrowsArgumentExceptionNamingStreetLines()
    {
        var exception = AssertRejected("streetLines", () => PostalAddress.Create(["Apt 1", "Hall 2", "Wing 3", "Block 4", "Estate 5", "Road 6"], "Town", null, null, "GB"), overLimit: true);
        PersonalDataAssert.NotInMessage(exception, "Estate 5", "Road 6");
    }

    [Theory]
    [InlineData("streetLines")]
    [InlineData("locality")]
    [InlineData("region")]
    [InlineData("postalCode")]
    public void Create_FieldTooLong_ThrowsArgumentExceptionNamingIt(string field)
    {
        var tooLong = "Sunnyside Crescent " + new string('x', PostalAddress.MaxFieldLength);

        var exception = AssertRejected(field, () => CreateWith(field, tooLong), overLimit: true);
        PersonalDataAssert.NotInMessage(exception, "Sunnyside");
    }

    [Theory]
    [InlineData("streetLines", 0x00)]
    [InlineData("streetLines", 0x1B)]
    [InlineData("locality", 0x7F)]
    [InlineData("region", 0x07)]
    [InlineData("postalCode", 0x00)]
    [InlineData("postalCode", 0x9B)]
    public void Create_ControlCharacter_ThrowsArgumentExceptionNamingTheField(string field, int control)
    {
        var exception = AssertRejected(field, () => CreateWith(field, "Sunnyside" + (char)control + "Crescent"));
        PersonalDataAssert.NotInMessage(exception, "Sunnyside");
    }

    [Theory]
    [InlineData("streetLines")]
    [InlineData("locality")]
    [InlineData("region")]
    [InlineData("postalCode")]
    public void Create_IllFormedText_ThrowsArgumentExceptionNamingTheField(string field)
        => AssertRejected(field, () => CreateWith(field, "Sunnyside" + '\uD800' + "Crescent"));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("G")]
    [InlineData("GBR")]
    [InlineData("UK")] // exceptionally reserved, not assigned: the United Kingdom is GB
    [InlineData("EU")]
    [InlineData("XK")] // user-assigned (Kosovo), not officially assigned
    [InlineData("ZZ")]
    [InlineData("12")]
    [InlineData("G-")]
    [InlineData("g\u0131")] // dotless i: upper-cases to "GI" under invariant rules
    public void Create_UnassignedCountryCode_ThrowsArgumentExceptionNamingIt(string countryCode)
        => AssertRejected("countryCode", () => PostalAddress.Create(["1 Main St"], "Town", null, null, countryCode));

    [Theory]
    [InlineData("gb", "GB")]
    [InlineData(" De ", "DE")]
    [InlineData("aq", "AQ")]
    [InlineData("SS", "SS")]
    [InlineData("bq", "BQ")]
    public void Create_AssignedCountryCode_IsUpperCased(string countryCode, string expected)
        => Assert.Equal(expected, PostalAddress.Create(["1 Main St"], null, null, null, countryCode).CountryCode);

    [Fact]
    public void CountryCodes_AreThe249OfficiallyAssigned_SortedAndDistinct()
    {
        var codes = CountryCodes.Assigned.Split(' ');

        Assert.Equal(249, codes.Length);
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
        Assert.Equal(codes.Length, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.True(CountryCodes.IsAssigned(code)));
    }

    [Fact]
    public void Parse_ReadsTheCanonicalForm()
    {
        var address = PostalAddress.Parse("US\nNY\nNew York\n10001-1234\n350 Fifth Avenue\nSuite 100");

        Assert.Equal(["350 Fifth Avenue", "Suite 100"], address.StreetLines);
        Assert.Equal("New York", address.Locality);
        Assert.Equal("NY", address.Region);
        Assert.Equal("10001-1234", address.PostalCode);
        Assert.Equal("US", address.CountryCode);
    }

    [Fact]
    public void Parse_CleansUpFieldsAgain_IncludingWindowsLineEnds()
    {
        var address = PostalAddress.Parse("gb\r\n\r\n London \r\nsw1a 2aa\r\n10  Downing Street\r\n");

        Assert.Equal(PostalAddress.Create(["10 Downing Street"], "London", null, "SW1A 2AA", "GB"), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GB")]
    [InlineData("GB\n\nLondon")]
    [InlineData("GB\n\n\n\n")]
    [InlineData("XX\n\nLondon\n\n1 Main St")]
    [InlineData("UK\n\nLondon\n\n1 Main St")]
    [InlineData("GB\n\nLondon\n\nApt 1\nHall 2\nWing 3\nBlock 4\nEstate 5\nRoad 6")]
    [InlineData("GB\n\nLondon\n\n\n\n\n\n\n")]
    public void Parse_InvalidText_ThrowsFormatException(string text)
    {
        var exception = Assert.Throws<FormatException>(() => PostalAddress.Parse(text));

        PersonalDataAssert.NotInMessage(exception, "London", "Estate 5", "Main St");
        Assert.False(PostalAddress.TryParse(text, out var result));
        Assert.Null(result);
    }

    [Fact]
    public void Parse_ControlCharacterOrTooLongField_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => PostalAddress.Parse("GB\n\nLon\u0000don\n\n1 Main St"));
        Assert.Throws<FormatException>(() => PostalAddress.Parse("GB\n\n" + new string('x', 201) + "\n\n1 Main St"));
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
        => Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => PostalAddress.Parse(null!)).ParamName);

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(PostalAddress.TryParse(null, out var result));
        Assert.Null(result);
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void Create_MessyFields_GiveTheCleanValue(MessyPostalAddress messy)
        => Assert.Equal(messy.Clean, messy.Create());

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void Normalising_Twice_EqualsNormalisingOnce(MessyPostalAddress messy)
    {
        var once = messy.Create();
        var twice = PostalAddress.Parse(once.NormalizedValue);

        Assert.Equal(once, twice);
        Assert.Equal(once.NormalizedValue, twice.NormalizedValue);
        Assert.Equal(once.StreetLines, twice.StreetLines);
        Assert.Equal((once.Locality, once.Region, once.PostalCode, once.CountryCode), (twice.Locality, twice.Region, twice.PostalCode, twice.CountryCode));
    }

    [Property]
    public Property Create_AnyFields_AreRejectedWithArgumentExceptionOrNormalisedIdempotently()
    {
        var field = TrickyText.From("aZ0 -,.", 0, 12);
        var fields = from count in Gen.Choose(0, 7)
                     from streetLines in Gen.ArrayOf(field, count)
                     from locality in Gen.OneOf(Gen.Constant<string?>(null), field.Select(static f => (string?)f))
                     from region in Gen.OneOf(Gen.Constant<string?>(null), field.Select(static f => (string?)f))
                     from postalCode in Gen.OneOf(Gen.Constant<string?>(null), field.Select(static f => (string?)f))
                     from country in Gen.Elements("GB", "gb", " de ", "XK", "UK", "g\u0131", string.Empty)
                     select (streetLines, locality, region, postalCode, country);

        return Prop.ForAll(fields.ToArbitrary(), input =>
        {
            PostalAddress once;
            try
            {
                once = PostalAddress.Create(input.streetLines, input.locality, input.region, input.postalCode, input.country);
            }
            catch (ArgumentException exception)
            {
                Assert.Contains(exception.ParamName, new[] { "streetLines", "locality", "region", "postalCode", "countryCode" });
                return;
            }

            var twice = PostalAddress.Parse(once.NormalizedValue);
            Assert.Equal(once.NormalizedValue, twice.NormalizedValue);
            Assert.Equal(once.StreetLines, twice.StreetLines);
        });
    }

    [Property]
    public Property Parse_AnyText_IsRejectedWithFormatExceptionOrNormalisedIdempotently()
    {
        var texts = from country in Gen.Elements("GB", "gb", "XK", string.Empty)
                    from rest in TrickyText.From("aZ0 \n\n\n", 0, 24)
                    select country + "\n" + rest;

        return Prop.ForAll(texts.ToArbitrary(), text =>
        {
            if (!PostalAddress.TryParse(text, out var once))
            {
                Assert.Throws<FormatException>(() => PostalAddress.Parse(text));
                return;
            }

            Assert.Equal(once.NormalizedValue, PostalAddress.Parse(once.NormalizedValue).NormalizedValue);
        });
    }

    private static PostalAddress CreateWith(string field, string value) => field switch
    {
        "streetLines" => PostalAddress.Create(["1 Main St", value], "Town", "Region", "12345", "US"),
        "locality" => PostalAddress.Create(["1 Main St"], value, "Region", "12345", "US"),
        "region" => PostalAddress.Create(["1 Main St"], "Town", value, "12345", "US"),
        "postalCode" => PostalAddress.Create(["1 Main St"], "Town", "Region", value, "US"),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static ArgumentException AssertRejected(string parameterName, Func<PostalAddress> create, bool overLimit = false)
    {
        ArgumentException exception = overLimit ? Assert.Throws<InputLimitExceededException>(create) : Assert.Throws<ArgumentException>(create);
        Assert.Equal(parameterName, exception.ParamName);
        return exception;
    }

    /// <summary>Fields as a person or an import might give them, for <see cref="Clean"/>.</summary>
    public sealed record MessyPostalAddress(string[] StreetLines, string? Locality, string? Region, string? PostalCode, string CountryCode, PostalAddress Clean)
    {
        public PostalAddress Create() => PostalAddress.Create(StreetLines, Locality, Region, PostalCode, CountryCode);
    }

    public static class Arbitraries
    {
        private static readonly Gen<string> Space = Gen.Elements(" ", "  ", "\t", "\u00A0", "\r\n", " \n ");
        private static readonly Gen<string> OptionalSpace = Gen.OneOf(Gen.Constant(string.Empty), Space);

        public static Arbitrary<MessyPostalAddress> MessyPostalAddress()
            => (from clean in CrmGenerators.PostalAddress
                from streetLines in MessUpLines(clean.StreetLines)
                from locality in MessUpOptional(clean.Locality)
                from region in MessUpOptional(clean.Region)
                from postalCode in MessUpOptional(clean.PostalCode?.ToLowerInvariant())
                from lowerCaseCountry in Gen.Elements(true, false)
                from country in MessUp(lowerCaseCountry ? clean.CountryCode.ToLowerInvariant() : clean.CountryCode)
                select new MessyPostalAddress(streetLines, locality, region, postalCode, country, clean)).ToArbitrary();

        // Pads the text, widens its spaces into other white space, and sometimes decomposes it (NFD).
        private static Gen<string> MessUp(string text)
            => from decompose in Gen.Elements(true, false)
               from inner in Space
               from before in OptionalSpace
               from after in OptionalSpace
               select before + (decompose ? text.Normalize(NormalizationForm.FormD) : text).Replace(" ", inner, StringComparison.Ordinal) + after;

        // An absent field may come as null or as white space.
        private static Gen<string?> MessUpOptional(string? text)
            => text is null
                ? Gen.OneOf(Gen.Constant<string?>(null), Space.Select(static space => (string?)space))
                : MessUp(text).Select(static messy => (string?)messy);

        // Each line messed up, some preceded by a blank line.
        private static Gen<string[]> MessUpLines(IReadOnlyList<string> lines)
            => Gen.CollectToArray(lines, line => from blankBefore in Gen.Elements(false, false, true)
                                                 from blank in Space
                                                 from messy in MessUp(line)
                                                 select blankBefore ? new[] { blank, messy } : new[] { messy })
                .Select(static groups => groups.SelectMany(static group => group).ToArray());
    }
}
