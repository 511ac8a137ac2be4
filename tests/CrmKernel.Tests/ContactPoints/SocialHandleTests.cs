using CrmKernel.Diagnostics;
using System.Globalization;
using CrmKernel.ContactPoints;
using CrmKernel.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.ContactPoints;

public class SocialHandleTests
{
    [Theory]
    [InlineData("x", "ann_lee", "x", "ann_lee")]
    [InlineData("X", " @Ann_Lee ", "x", "ann_lee")]
    [InlineData(" LinkedIn ", "Ann-Lee-42", "linkedin", "ann-lee-42")]
    [InlineData("mastodon", "@Ann@Mastodon.Social", "mastodon", "ann@mastodon.social")]
    [InlineData("mastodon", "ann@mastodon.social", "mastodon", "ann@mastodon.social")]
    [InlineData("bsky.app", "@ann.bsky.social", "bsky.app", "ann.bsky.social")]
    [InlineData("my-network", "ÜNAL", "my-network", "ünal")]
    [InlineData("0", "a", "0", "a")]
    public void Create_NormalisesNetworkAndHandle(string network, string handle, string expectedNetwork, string expectedHandle)
    {
        var social = SocialHandle.Create(network, handle);

        Assert.Equal(expectedNetwork, social.Network);
        Assert.Equal(expectedHandle, social.Handle);
        Assert.Equal(expectedNetwork + ":" + expectedHandle, social.NormalizedValue);
        Assert.Equal(ContactPointKind.SocialHandle, social.Kind);
    }

    [Fact]
    public void Create_PutsHandleInNfc()
        => Assert.Equal(SocialHandle.Create("x", "josé"), SocialHandle.Create("x", "Jose\u0301"));

    [Fact]
    public void Create_LongestNetworkAndHandle_AreAccepted()
    {
        var network = new string('n', SocialHandle.MaxNetworkLength);
        var handle = new string('h', SocialHandle.MaxHandleLength);

        var social = SocialHandle.Create(network, "@" + handle);

        Assert.Equal(network, social.Network);
        Assert.Equal(handle, social.Handle);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(".x")]
    [InlineData("-x")]
    [InlineData("x_y")]
    [InlineData("x:y")]
    [InlineData("linked in")]
    [InlineData("ünet")]
    [InlineData("lin\u212Aedin")] // Kelvin sign: lower-cases to an ASCII k under invariant rules
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")] // 33 characters
    public void Create_InvalidNetwork_ThrowsArgumentExceptionNamingIt(string network)
    {
        var exception = Assert.IsAssignableFrom<ArgumentException>(Record.Exception(() => SocialHandle.Create(network, "ann_lee")));

        // Over the length limit it is the limit error (CRM-INPUT-001); otherwise a plain argument error.
        Assert.Equal(network.Length > SocialHandle.MaxNetworkLength ? typeof(InputLimitExceededException) : typeof(ArgumentException), exception.GetType());

        Assert.Equal("network", exception.ParamName);
        PersonalDataAssert.NotInMessage(exception, "ann_lee");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("@")]
    [InlineData(" @ ")]
    [InlineData("@@annlee")]
    [InlineData("@ annlee")]
    [InlineData("ann lee")]
    [InlineData("ann\tlee")]
    [InlineData("ann\u00A0lee")]
    [InlineData("ann\u3000lee")]
    public void Create_InvalidHandle_ThrowsArgumentExceptionNamingIt(string handle)
    {
        var exception = Assert.Throws<ArgumentException>(() => SocialHandle.Create("x", handle));

        Assert.Equal("handle", exception.ParamName);
        PersonalDataAssert.NotInMessage(exception, handle, "annlee");
    }

    [Fact]
    public void Create_HandleWithControlInvisibleOrIllFormedCharacters_ThrowsArgumentExceptionNamingIt()
    {
        // Kept out of [InlineData]: test runners cannot always serialise these characters.
        string[] handles = ["annlee\u0000", "ann\u001Blee", "ann\u200Blee", "ann\u200Dlee", "\u202Eannlee", "annlee\uD800", "\uDC00annlee"];
        foreach (var handle in handles)
        {
            var exception = Assert.Throws<ArgumentException>(() => SocialHandle.Create("x", handle));
            Assert.Equal("handle", exception.ParamName);
            PersonalDataAssert.NotInMessage(exception, handle, "annlee");
        }
    }

    [Fact]
    public void Create_TooLongHandle_ThrowsArgumentExceptionNamingIt()
    {
        var exception = Assert.Throws<InputLimitExceededException>(() => SocialHandle.Create("x", new string('h', SocialHandle.MaxHandleLength + 1)));

        Assert.Equal("handle", exception.ParamName);
        Assert.Contains(SocialHandle.MaxHandleLength.ToString(CultureInfo.InvariantCulture), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Null_ThrowsArgumentNullExceptionNamingTheParameter()
    {
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => SocialHandle.Create(null!, "ann")).ParamName);
        Assert.Equal("handle", Assert.Throws<ArgumentNullException>(() => SocialHandle.Create("x", null!)).ParamName);
    }

    [Theory]
    [InlineData("x:ann_lee", "x", "ann_lee")]
    [InlineData("X:@Ann_Lee", "x", "ann_lee")]
    [InlineData("mastodon:ann@mastodon.social", "mastodon", "ann@mastodon.social")]
    [InlineData("matrix:ann:example.org", "matrix", "ann:example.org")]
    public void Parse_ReadsNetworkColonHandle(string text, string network, string handle)
    {
        var social = SocialHandle.Parse(text);

        Assert.Equal((network, handle), (social.Network, social.Handle));
        Assert.True(SocialHandle.TryParse(text, out var tried));
        Assert.Equal(social, tried);
    }

    [Theory]
    [InlineData("")]
    [InlineData("annlee")]
    [InlineData(":annlee")]
    [InlineData("x:")]
    [InlineData("x:@")]
    [InlineData("x:@@annlee")]
    [InlineData("x:ann lee")]
    [InlineData("x_y:annlee")]
    [InlineData("x annlee")]
    public void Parse_InvalidText_ThrowsFormatException(string text)
    {
        var exception = Assert.Throws<FormatException>(() => SocialHandle.Parse(text));

        PersonalDataAssert.NotInMessage(exception, text, "annlee", "ann lee");
        Assert.False(SocialHandle.TryParse(text, out var result));
        Assert.Null(result);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
        => Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => SocialHandle.Parse(null!)).ParamName);

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(SocialHandle.TryParse(null, out var result));
        Assert.Null(result);
    }

    [Fact]
    public void Equality_IsByNetworkAndHandle()
    {
        Assert.Equal(SocialHandle.Create("x", "@Ann"), SocialHandle.Create("X", "ann"));
        Assert.NotEqual(SocialHandle.Create("x", "ann"), SocialHandle.Create("instagram", "ann"));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void Create_MessyInput_GivesTheCleanValue(MessySocialHandle messy)
        => Assert.Equal(messy.Clean, SocialHandle.Create(messy.Network, messy.Handle));

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void Normalising_Twice_EqualsNormalisingOnce(MessySocialHandle messy)
    {
        var once = SocialHandle.Create(messy.Network, messy.Handle);
        var twice = SocialHandle.Parse(once.NormalizedValue);

        Assert.Equal(once, twice);
        Assert.Equal(once.NormalizedValue, twice.NormalizedValue);
        Assert.Equal(SocialHandle.Create(once.Network, once.Handle), once);
    }

    [Property]
    public Property Create_AnyText_IsRejectedWithArgumentExceptionOrNormalisedIdempotently()
    {
        var inputs = from network in TrickyText.From("aZ09.-_:", 0, 6)
                     from handle in TrickyText.From("aZ09._@:", 0, 10)
                     select (Network: network, Handle: handle);

        return Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            SocialHandle once;
            try
            {
                once = SocialHandle.Create(input.Network, input.Handle);
            }
            catch (ArgumentException exception)
            {
                Assert.Contains(exception.ParamName, new[] { "network", "handle" });
                if (!input.Network.Contains(':', StringComparison.Ordinal))
                {
                    Assert.False(SocialHandle.TryParse(input.Network + ":" + input.Handle, out _));
                }
                return;
            }

            var twice = SocialHandle.Parse(once.NormalizedValue);
            Assert.Equal(once.NormalizedValue, twice.NormalizedValue);
            Assert.Equal(once, SocialHandle.Parse(input.Network + ":" + input.Handle));
        });
    }

    /// <summary>A network and handle as a person might type them, for <see cref="Clean"/>.</summary>
    public sealed record MessySocialHandle(string Network, string Handle, SocialHandle Clean);

    public static class Arbitraries
    {
        public static Arbitrary<MessySocialHandle> MessySocialHandle()
            => (from clean in CrmGenerators.SocialHandle
                from upperNetwork in Gen.Elements(true, false)
                from upper in Gen.ArrayOf(Gen.Elements(true, false), clean.Handle.Length)
                from at in Gen.Elements(string.Empty, "@")
                from before in Gen.Elements(string.Empty, " ", "\t", "\u00A0")
                from after in Gen.Elements(string.Empty, " ", "\r\n")
                select new MessySocialHandle(
                    before + (upperNetwork ? clean.Network.ToUpperInvariant() : clean.Network) + after,
                    before + at + RandomCase(clean.Handle, upper) + after,
                    clean)).ToArbitrary();

        private static string RandomCase(string text, bool[] upper)
        {
            var chars = text.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = upper[i] ? char.ToUpperInvariant(chars[i]) : chars[i];
            }

            return new string(chars);
        }
    }
}
