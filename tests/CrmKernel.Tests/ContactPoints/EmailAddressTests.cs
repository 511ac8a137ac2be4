using System.Globalization;
using System.Text;
using CrmKernel.ContactPoints;
using CrmKernel.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.ContactPoints;

public class EmailAddressTests
{
    [Theory]
    [InlineData("ann.lee@example.com", "ann.lee@example.com")]
    [InlineData("  Ann.Lee@Example.COM \t", "ann.lee@example.com")]
    [InlineData("ANN.LEE@EXAMPLE.COM", "ann.lee@example.com")]
    [InlineData("Ann+CRM@Mail.Example.co.uk", "ann+crm@mail.example.co.uk")]
    [InlineData("o'brien@example.ie", "o'brien@example.ie")]
    [InlineData("a@b.co", "a@b.co")]
    [InlineData("user@mail-1.eu.example", "user@mail-1.eu.example")]
    [InlineData("user@123.example", "user@123.example")]
    [InlineData("user@example.c0m", "user@example.c0m")]
    public void Parse_TrimsAndLowerCases(string text, string expected)
    {
        var email = EmailAddress.Parse(text);

        Assert.Equal(expected, email.NormalizedValue);
        Assert.Equal(ContactPointKind.Email, email.Kind);
    }

    [Fact]
    public void Parse_SplitsLocalPartAndDomain()
    {
        var email = EmailAddress.Parse("Ann.Lee@Example.com");

        Assert.Equal("ann.lee", email.LocalPart);
        Assert.Equal("example.com", email.Domain);
    }

    [Theory]
    [InlineData("user@bücher.example")]
    [InlineData("USER@BÜCHER.EXAMPLE")]
    [InlineData("user@bu\u0308cher.example")]
    [InlineData("user@xn--bcher-kva.example")]
    [InlineData("User@XN--BCHER-KVA.Example")]
    [InlineData("user@bücher\u3002example")]
    public void Parse_ConvertsInternationalDomainToPunycode(string text)
    {
        var email = EmailAddress.Parse(text);

        Assert.Equal("user@xn--bcher-kva.example", email.NormalizedValue);
        Assert.Equal("xn--bcher-kva.example", email.Domain);
    }

    [Theory]
    [InlineData("info@straße.de", "info@xn--strae-oqa.de")]
    [InlineData("info@пример.рф", "info@xn--e1afmkfd.xn--p1ai")]
    [InlineData("info@例え.テスト", "info@xn--r8jz45g.xn--zckzah")]
    public void Parse_ConvertsOtherScriptsToPunycode(string text, string expected)
        => Assert.Equal(expected, EmailAddress.Parse(text).NormalizedValue);

    [Theory]
    [InlineData("José@example.com", "josé@example.com")]
    [InlineData("Jose\u0301@example.com", "josé@example.com")]
    [InlineData("ΔΟΚΙΜΉ@example.com", "δοκιμή@example.com")]
    [InlineData("用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v")]
    [InlineData("अजय@example.in", "अजय@example.in")]
    [InlineData("\u212Aate@example.com", "kate@example.com")]
    public void Parse_AcceptsLettersOfAnyScriptInLocalPart_InNfcLowerCase(string text, string expected)
    {
        var email = EmailAddress.Parse(text);

        Assert.Equal(expected, email.NormalizedValue);
        Assert.True(email.NormalizedValue.IsNormalized(NormalizationForm.FormC));
    }

    [Fact]
    public void Parse_AcceptsEveryAtextCharacter()
    {
        const string LocalPart = "!#$%&'*+-/=?^_`{|}~.az09";

        Assert.Equal(LocalPart, EmailAddress.Parse(LocalPart + "@example.com").LocalPart);
    }

    [Fact]
    public void Parse_AcceptsLongestLocalPartAndAddress()
    {
        var localPart = new string('a', EmailAddress.MaxLocalPartLength);
        var domain = new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 57) + ".com";

        var email = EmailAddress.Parse(localPart + "@" + domain);

        Assert.Equal(EmailAddress.MaxLength, email.NormalizedValue.Length);
    }

    [Fact]
    public void Parse_NonAsciiLocalPart_IsLimitedInUtf8Bytes()
    {
        // 32 two-byte letters are 64 bytes (accepted); 33 are 66 bytes (refused).
        Assert.True(EmailAddress.TryParse(new string('é', 32) + "@example.com", out _));
        Assert.False(EmailAddress.TryParse(new string('é', 33) + "@example.com", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("annlee.example.com")]
    [InlineData("ann@lee@example.com")]
    [InlineData("@example.com")]
    [InlineData("annlee@")]
    [InlineData(".annlee@example.com")]
    [InlineData("annlee.@example.com")]
    [InlineData("ann..lee@example.com")]
    [InlineData("\"ann lee\"@example.com")]
    [InlineData("ann lee@example.com")]
    [InlineData("Ann Lee <annlee@example.com>")]
    [InlineData("annlee(work)@example.com")]
    [InlineData("ann,lee@example.com")]
    [InlineData("annlee😀@example.com")]
    [InlineData("annlee@[192.0.2.1]")]
    [InlineData("annlee@localhost")]
    [InlineData("annlee@example.123")]
    [InlineData("annlee@-example.com")]
    [InlineData("annlee@example-.com")]
    [InlineData("annlee@exa_mple.com")]
    [InlineData("annlee@exa mple.com")]
    [InlineData("annlee@example..com")]
    [InlineData("annlee@example.com.")]
    [InlineData("annlee@.example.com")]
    [InlineData("annlee@xn--zz.example")]
    [InlineData("annlee@bücher-.example")]
    public void Parse_InvalidText_ThrowsFormatExceptionWithoutEchoingIt(string text)
    {
        var exception = Assert.Throws<FormatException>(() => EmailAddress.Parse(text));

        PersonalDataAssert.NotInMessage(exception, text, "annlee", "ann lee");
        Assert.False(EmailAddress.TryParse(text, out var result));
        Assert.Null(result);
    }

    [Fact]
    public void Parse_InvisibleControlOrIllFormedCharacters_Throw()
    {
        // Kept out of [InlineData]: test runners cannot always serialise these characters.
        string[] texts = ["ann\u200Blee@example.com", "ann\u0000lee@example.com", "annlee\uD800@example.com", "annlee@exam\uDC00ple.com", "ann\u202Elee@example.com"];
        foreach (var text in texts)
        {
            var exception = Assert.Throws<FormatException>(() => EmailAddress.Parse(text));
            PersonalDataAssert.NotInMessage(exception, text, "annlee");
            Assert.False(EmailAddress.TryParse(text, out _));
        }
    }

    [Fact]
    public void Parse_TooLongLocalPart_Throws()
    {
        var text = new string('a', EmailAddress.MaxLocalPartLength + 1) + "@example.com";

        var exception = Assert.Throws<FormatException>(() => EmailAddress.Parse(text));
        Assert.Contains("64", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLongLabel_Throws()
        => Assert.Throws<FormatException>(() => EmailAddress.Parse("a@" + new string('b', 64) + ".com"));

    [Fact]
    public void Parse_TooLongAddress_Throws()
    {
        var domain = new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 58) + ".com";

        var exception = Assert.Throws<FormatException>(() => EmailAddress.Parse(new string('a', 64) + "@" + domain));
        Assert.Contains("254", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLongAfterIdnaConversion_Throws()
    {
        // 60 'ü's fit a label as Unicode but not as punycode (more than 63 ASCII characters).
        Assert.Throws<FormatException>(() => EmailAddress.Parse("a@" + new string('ü', 60) + ".example"));
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => EmailAddress.Parse(null!));
        Assert.Equal("text", exception.ParamName);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(EmailAddress.TryParse(null, out var result));
        Assert.Null(result);
    }

    [Fact]
    public void TryParse_Valid_ReturnsTheSameValueAsParse()
    {
        Assert.True(EmailAddress.TryParse(" Ann@Example.com ", out var result));
        Assert.Equal(EmailAddress.Parse("ann@example.com"), result);
    }

    [Fact]
    public void Equality_IgnoresSpellingDifferencesThatNormalisationRemoves()
    {
        var a = EmailAddress.Parse("Ann@Bücher.Example");
        var b = EmailAddress.Parse("ann@xn--bcher-kva.example");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, EmailAddress.Parse("ann2@xn--bcher-kva.example"));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void Parse_MessyInput_GivesTheCleanValue(MessyEmail messy)
        => Assert.Equal(messy.Clean, EmailAddress.Parse(messy.Text));

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void Normalising_Twice_EqualsNormalisingOnce(MessyEmail messy)
    {
        var once = EmailAddress.Parse(messy.Text);
        var twice = EmailAddress.Parse(once.NormalizedValue);

        Assert.Equal(once, twice);
        Assert.Equal(once.NormalizedValue, twice.NormalizedValue);
    }

    [Property]
    public Property Parse_AnyText_IsRejectedWithFormatExceptionOrNormalisedIdempotently()
    {
        var local = TrickyText.From("aZ09.-_+!'", 0, 10);
        var domain = TrickyText.From("aZ09.-_ü", 0, 10);
        var texts = from l in local
                    from d in domain
                    from tld in Gen.Elements("com", "xn--p1ai", "c0m", "123", "рф", string.Empty)
                    select l + "@" + d + "." + tld;

        return Prop.ForAll(texts.ToArbitrary(), text =>
        {
            if (!EmailAddress.TryParse(text, out var once))
            {
                Assert.Throws<FormatException>(() => EmailAddress.Parse(text));
                return;
            }

            var twice = EmailAddress.Parse(once.NormalizedValue);
            Assert.Equal(once.NormalizedValue, twice.NormalizedValue);
            Assert.Equal(once, EmailAddress.Parse(text));
        });
    }

    /// <summary>Raw text a person might type for <see cref="Clean"/>.</summary>
    public sealed record MessyEmail(string Text, EmailAddress Clean);

    public static class Arbitraries
    {
        private static readonly IdnMapping Idn = new();

        public static Arbitrary<MessyEmail> MessyEmail()
            => (from clean in CrmGenerators.EmailAddress
                from upper in Gen.ArrayOf(Gen.Elements(true, false), clean.NormalizedValue.Length)
                from unicodeDomain in Gen.Elements(true, false)
                from decomposed in Gen.Elements(true, false)
                from before in WhiteSpace
                from after in WhiteSpace
                select new MessyEmail(before + Mess(clean, upper, unicodeDomain, decomposed) + after, clean)).ToArbitrary();

        private static Gen<string> WhiteSpace => Gen.Elements(string.Empty, " ", "  ", "\t", "\u00A0", " \r\n");

        private static string Mess(EmailAddress clean, bool[] upper, bool unicodeDomain, bool decomposed)
        {
            var domain = unicodeDomain ? Idn.GetUnicode(clean.Domain) : clean.Domain;
            var text = clean.LocalPart + "@" + domain;
            var chars = text.ToCharArray();
            for (var i = 0; i < chars.Length && i < upper.Length; i++)
            {
                chars[i] = upper[i] ? char.ToUpperInvariant(chars[i]) : chars[i];
            }

            text = new string(chars);
            return decomposed ? text.Normalize(NormalizationForm.FormD) : text;
        }
    }
}
