using CrmKernel.Diagnostics;
using CrmKernel.Consent;
using CrmKernel.Tests.Customers;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Consent;

public sealed class ConsentEntryTests
{
    private static readonly Instant At = CustomerTestData.Start;

    [Fact]
    public void Constructor_NormalisesAndDefaultsTheValidityStart()
    {
        var entry = new ConsentEntry(new ConsentPurpose(" Newsletter Weekly "), new ChannelId("Email"), null, ConsentStatus.Granted, LawfulBasis.Consent, " Web-Form:Signup ", At, "  form v3 ");

        Assert.Equal("newsletter-weekly", entry.Purpose.Value);
        Assert.Equal("web-form:signup", entry.Source);
        Assert.Equal("form v3", entry.Evidence);
        Assert.Equal(At, entry.ValidFrom);
        Assert.Null(entry.ValidUntil);
        Assert.True(entry.Permits);
        Assert.True(entry.IsValidAt(At));
        Assert.False(entry.IsValidAt(At - Duration.Epsilon));
    }

    [Fact]
    public void IsValidAt_StartIsInclusive_EndIsExclusive_NoEndIsOpen()
    {
        var until = At + Duration.FromDays(30);
        var bounded = new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", At, validUntil: until);
        var open = new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", At);

        Assert.False(bounded.IsValidAt(At - Duration.Epsilon));
        Assert.True(bounded.IsValidAt(At));
        Assert.True(bounded.IsValidAt(until - Duration.Epsilon));
        Assert.False(bounded.IsValidAt(until));
        Assert.True(open.IsValidAt(At + Duration.FromDays(36_500)));
    }

    [Fact]
    public void IsValidAt_AgreesWithHandWrittenIntervalRules_AtAndAroundEveryBoundary()
    {
        // The oracle is written out here, not ConsentEntry's own predicate: from <= at, and at < until when there is one.
        static bool Expected(Instant from, Instant? until, Instant at) => from <= at && (until is not { } u || at < u);

        var random = new Random(22);
        for (var i = 0; i < 500; i++)
        {
            var from = At + Duration.FromMinutes(random.Next(0, 1_000));
            Instant? until = random.Next(3) == 0 ? null : from + Duration.FromMinutes(random.Next(1, 1_000));
            var entry = new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", from, validUntil: until);
            foreach (var edge in until is { } u ? new[] { from, u } : [from])
            {
                foreach (var at in new[] { edge - Duration.Epsilon, edge, edge + Duration.Epsilon })
                {
                    Assert.True(Expected(from, until, at) == entry.IsValidAt(at), $"[{from}, {until}) at {at}");
                }
            }
        }
    }

    [Fact]
    public void Constructor_RejectsBrokenRules_NamingTheParameter()
    {
        Assert.Equal("purpose", Assert.Throws<ArgumentException>(() => new ConsentEntry(default, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", At)).ParamName);
        Assert.Equal("channel", Assert.Throws<ArgumentException>(() => new ConsentEntry(ConsentPurpose.Marketing, default(ChannelId), null, ConsentStatus.Granted, LawfulBasis.Consent, "s", At)).ParamName);
        Assert.Equal("status", Assert.ThrowsAny<ArgumentException>(() => new ConsentEntry(ConsentPurpose.Marketing, null, null, (ConsentStatus)9, LawfulBasis.Consent, "s", At)).ParamName);
        Assert.Equal("basis", Assert.ThrowsAny<ArgumentException>(() => new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, 0, "s", At)).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "no spaces allowed?", At)).ParamName);
        Assert.Equal("evidence", Assert.Throws<InputLimitExceededException>(() => new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", At, new string('x', ConsentEntry.MaxEvidenceLength + 1))).ParamName);
        Assert.Equal("evidence", Assert.Throws<ArgumentException>(() => new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", At, "a\nb")).ParamName);
        Assert.Equal("validUntil", Assert.Throws<ArgumentException>(() => new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", At, validUntil: At)).ParamName);
        Assert.Equal("validUntil", Assert.Throws<ArgumentException>(() => new ConsentEntry(ConsentPurpose.Marketing, null, null, ConsentStatus.Granted, LawfulBasis.Consent, "s", At, validFrom: At + Duration.FromDays(2), validUntil: At + Duration.FromDays(1))).ParamName);
    }

    [Fact]
    public void Equality_IsByEveryField_AndScopeIgnoresStatusAndTime()
    {
        ConsentEntry Make(ConsentStatus status, Instant at) => new(ConsentPurpose.Marketing, new ChannelId("email"), CustomerTestData.Email(), status, LawfulBasis.Consent, "s", at);

        Assert.Equal(Make(ConsentStatus.Granted, At), Make(ConsentStatus.Granted, At));
        Assert.Equal(Make(ConsentStatus.Granted, At).GetHashCode(), Make(ConsentStatus.Granted, At).GetHashCode());
        Assert.NotEqual(Make(ConsentStatus.Granted, At), Make(ConsentStatus.Declined, At));
        Assert.True(Make(ConsentStatus.Granted, At).HasSameScope(Make(ConsentStatus.Withdrawn, At + Duration.FromDays(1))));
        Assert.False(Make(ConsentStatus.Granted, At).HasSameScope(new ConsentEntry(ConsentPurpose.Marketing, null, CustomerTestData.Email(), ConsentStatus.Granted, LawfulBasis.Consent, "s", At)));
    }

    [Fact]
    public void ToString_NamesTheScope_ButNotTheContactPoint()
    {
        var text = new ConsentEntry(ConsentPurpose.Marketing, null, CustomerTestData.Email("secret"), ConsentStatus.Granted, LawfulBasis.Consent, "s", At).ToString();

        Assert.Contains("marketing", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("marketing", true)]
    [InlineData(" Newsletter:Weekly ", true)]
    [InlineData("", false)]
    [InlineData("no!", false)]
    [InlineData(null, false)]
    public void Purpose_TryParse(string? text, bool valid)
    {
        Assert.Equal(valid, ConsentPurpose.TryParse(text, out var purpose));
        Assert.Equal(valid, purpose != default);
    }
}
