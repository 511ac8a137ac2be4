using CrmKernel.ContactPoints;
using CrmKernel.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.ContactPoints;

public class ContactPointTests
{
    [Theory]
    [InlineData(ContactPointKind.Email, "Ann@Example.com", typeof(EmailAddress), "ann@example.com")]
    [InlineData(ContactPointKind.Phone, "+44 20 7946 0958", typeof(PhoneNumber), "+442079460958")]
    [InlineData(ContactPointKind.PostalAddress, "gb\n\nLondon\nsw1a 2aa\n10 Downing Street", typeof(PostalAddress), "GB\n\nLondon\nSW1A 2AA\n10 Downing Street")]
    [InlineData(ContactPointKind.SocialHandle, "X:@Ann", typeof(SocialHandle), "x:ann")]
    public void Parse_DispatchesOnKind(ContactPointKind kind, string value, Type expectedType, string expectedValue)
    {
        var contactPoint = ContactPoint.Parse(kind, value);

        Assert.IsType(expectedType, contactPoint);
        Assert.Equal(kind, contactPoint.Kind);
        Assert.Equal(expectedValue, contactPoint.NormalizedValue);
    }

    [Fact]
    public void Parse_Phone_RequiresInternationalForm()
        => Assert.Throws<FormatException>(() => ContactPoint.Parse(ContactPointKind.Phone, "020 7946 0958"));

    [Theory]
    [InlineData(ContactPointKind.Email, "not an email")]
    [InlineData(ContactPointKind.Phone, "not a phone")]
    [InlineData(ContactPointKind.PostalAddress, "not an address")]
    [InlineData(ContactPointKind.SocialHandle, "not a handle")]
    public void Parse_InvalidValue_ThrowsFormatException(ContactPointKind kind, string value)
        => Assert.Throws<FormatException>(() => ContactPoint.Parse(kind, value));

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public void Parse_UndefinedKind_ThrowsArgumentExceptionNamingIt(int kind)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => ContactPoint.Parse((ContactPointKind)kind, "ann@example.com"));

        Assert.Equal("kind", exception.ParamName);
        PersonalDataAssert.NotInMessage(exception, "ann@example.com");
    }

    [Fact]
    public void Parse_NullValue_ThrowsArgumentNullException()
        => Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => ContactPoint.Parse(ContactPointKind.Email, null!)).ParamName);

    [Fact]
    public void EqualityOperators_HandleNull()
    {
        var email = EmailAddress.Parse("ann@example.com");
        ContactPoint? none = null;

        Assert.False(email == none);
        Assert.False(none == email);
        Assert.True(email != none);
        Assert.True(none == null);
        Assert.False(email.Equals(null));
        Assert.False(email.Equals((object?)"ann@example.com"));
    }

    [Fact]
    public void ToString_IsTheNormalizedValue()
        => Assert.Equal("ann@example.com", EmailAddress.Parse(" Ann@Example.com ").ToString());

    [Fact]
    public void TheSetOfKinds_IsClosed_OneSealedTypePerKind()
    {
        var derived = typeof(ContactPoint).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ContactPoint))).ToArray();

        Assert.Equal(Enum.GetValues<ContactPointKind>().Length, derived.Length);
        Assert.All(derived, t => Assert.True(t.IsSealed && t.IsPublic, t.Name));
        Assert.All(derived, t => Assert.Empty(t.GetConstructors()));
    }

    [Fact]
    public void Generators_CoverEveryKind()
    {
        var kinds = CrmGenerators.ContactPoint.Sample(200).Select(c => c.Kind).ToHashSet();

        Assert.Equal(Enum.GetValues<ContactPointKind>().ToHashSet(), kinds);
    }

    [Property(Arbitrary = new[] { typeof(CrmArbitraries) })]
    public void Parse_OfKindAndNormalizedValue_RoundTrips(ContactPoint contactPoint)
    {
        var parsed = ContactPoint.Parse(contactPoint.Kind, contactPoint.NormalizedValue);

        Assert.Equal(contactPoint, parsed);
        Assert.Equal(contactPoint.GetType(), parsed.GetType());
        Assert.Equal(contactPoint.NormalizedValue, parsed.NormalizedValue);
        Assert.Equal(contactPoint.GetHashCode(), parsed.GetHashCode());
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void EqualityAndHashCode_Agree(ContactPointPair pair)
    {
        var (left, right) = (pair.Left, pair.Right);
        var equal = left.Equals(right);

        Assert.Equal(equal, right.Equals(left));
        Assert.Equal(equal, left.Equals((object)right));
        Assert.Equal(equal, left == right);
        Assert.Equal(!equal, left != right);
        Assert.Equal(equal, left.Kind == right.Kind && string.Equals(left.NormalizedValue, right.NormalizedValue, StringComparison.Ordinal));
        if (equal)
        {
            Assert.Equal(left.GetHashCode(), right.GetHashCode());
        }
    }

    /// <summary>Two contact points that are equal about half the time.</summary>
    public sealed record ContactPointPair(ContactPoint Left, ContactPoint Right);

    public static class Arbitraries
    {
        public static Arbitrary<ContactPointPair> ContactPointPair()
            => Gen.OneOf(
                    CrmGenerators.ContactPoint.Select(c => new ContactPointPair(c, ContactPoint.Parse(c.Kind, c.NormalizedValue))),
                    Gen.Zip(CrmGenerators.ContactPoint, CrmGenerators.ContactPoint).Select(p => new ContactPointPair(p.Item1, p.Item2)))
                .ToArbitrary();
    }
}
