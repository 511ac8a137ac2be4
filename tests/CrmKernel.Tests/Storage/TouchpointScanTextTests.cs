using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CrmKernel.Tests.Storage;

/// <summary>The stored-text reader adapters share for their column scans: exactly the normalised form, nothing else, each text checked once.</summary>
public sealed class TouchpointScanTextTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("store:london")]
    [InlineData("partner/acme")]
    public void TryChannel_ReadsANormalisedChannel_AndAgainFromTheCache(string text)
    {
        var scan = new TouchpointScanText();
        Assert.True(scan.TryChannel(text, out var first));
        Assert.True(scan.TryChannel(text, out var second));
        Assert.Equal(new ChannelId(text), first);
        Assert.Equal(first, second);
        Assert.Equal(text, first.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Web")]
    [InlineData(" web")]
    [InlineData("web ")]
    [InlineData("we b")]
    public void TryChannel_RefusesTextNotInNormalisedForm(string? text)
    {
        var scan = new TouchpointScanText();
        Assert.False(scan.TryChannel(text, out var channel));
        Assert.Equal(default, channel);

        // Refused again: a refusal is not cached as a value.
        Assert.False(scan.TryChannel(text, out _));
    }

    [Theory]
    [InlineData("purchase")]
    [InlineData("warranty-claim")]
    public void TryKind_ReadsANormalisedKind(string text)
    {
        var scan = new TouchpointScanText();
        Assert.True(scan.TryKind(text, out var kind));
        Assert.Equal(new TouchpointKind(text), kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Purchase")]
    [InlineData("purchase ")]
    [InlineData("two words")]
    public void TryKind_RefusesTextNotInNormalisedForm(string? text) => Assert.False(new TouchpointScanText().TryKind(text, out _));

    [Fact]
    public void TryOutcome_ReadsANormalisedOutcome_AndRefusesAnyOther()
    {
        var scan = new TouchpointScanText();
        Assert.True(scan.TryOutcome("completed", out var outcome));
        Assert.Equal(TouchpointOutcome.Completed, outcome);
        Assert.False(scan.TryOutcome("Completed", out _));
        Assert.False(scan.TryOutcome(string.Empty, out _));
        Assert.False(scan.TryOutcome(null, out _));
    }

    [Theory]
    [InlineData("EUR")]
    [InlineData("JPY")]
    [InlineData("GBP")]
    public void TryCurrency_ReadsAnUpperCaseIsoCode(string code)
    {
        var scan = new TouchpointScanText();
        Assert.True(scan.TryCurrency(code, out var currency));
        Assert.Equal(Currency.FromCode(code), currency);
        Assert.True(scan.TryCurrency(code, out var again));
        Assert.Equal(currency, again);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("XXZ")]
    [InlineData(" EUR")]
    public void TryCurrency_RefusesAnythingButAKnownUpperCaseCode(string? code) => Assert.False(new TouchpointScanText().TryCurrency(code, out _));

    [Property(MaxTest = 200)]
    public Property A_channel_is_read_back_exactly_when_its_text_is_its_own_normalised_value(NonNull<string> text)
    {
        var scan = new TouchpointScanText();
        var read = scan.TryChannel(text.Get, out var channel);
        var expected = ChannelId.TryParse(text.Get, out var parsed) && parsed.Value == text.Get;
        return (read == expected && (!read || channel == parsed)).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property Every_written_kind_reads_back_as_itself(NonEmptyString text)
    {
        TouchpointKind kind;
        try
        {
            kind = new TouchpointKind(text.Get);
        }
        catch (ArgumentException)
        {
            return true.ToProperty();
        }

        var scan = new TouchpointScanText();
        return (scan.TryKind(kind.Value, out var read) && read == kind).ToProperty();
    }
}
