using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;
using Xunit;

namespace CrmKernel.Samples.Storage.PostgreSql.Tests;

/// <summary>The hand-written instant parser of the text columns: exactly the writer's form, the same instants as NodaTime's pattern.</summary>
public sealed class InstantTextTests
{
    private static readonly InstantPattern Pattern = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffff'Z'");

    [Property(MaxTest = 500)]
    public Property Every_written_instant_from_year_0_to_9999_parses_back_to_itself(long ticks, int nanos)
    {
        var span = (Instant.FromUtc(9999, 12, 31, 23, 59, 59) - InstantText.Earliest).BclCompatibleTicks;
        var instant = InstantText.Earliest + Duration.FromTicks(Math.Abs(ticks % span)) + Duration.FromNanoseconds(Math.Abs(nanos % 100));
        return (InstantText.TryParse(InstantText.Of(instant), out var read) && read == instant).ToProperty();
    }

    [Property(MaxTest = 500)]
    public Property Any_text_that_parses_is_the_written_form_of_the_instant_the_pattern_reads(NonNull<string> text)
    {
        var parsed = InstantText.TryParse(text.Get, out var instant);
        return (!parsed || (Pattern.Parse(text.Get).Value == instant && InstantText.Of(instant) == text.Get)).ToProperty();
    }

    [Theory]
    [InlineData("2026-03-02T12:00:00.000000000Z", true)]
    [InlineData("0000-01-01T00:00:00.000000000Z", true)]
    [InlineData("2024-02-29T23:59:59.999999999Z", true)]
    [InlineData("2026-02-29T12:00:00.000000000Z", false)]
    [InlineData("2026-13-02T12:00:00.000000000Z", false)]
    [InlineData("2026-00-02T12:00:00.000000000Z", false)]
    [InlineData("2026-03-00T12:00:00.000000000Z", false)]
    [InlineData("2026-03-02T24:00:00.000000000Z", false)]
    [InlineData("2026-03-02T12:60:00.000000000Z", false)]
    [InlineData("2026-03-02T12:00:60.000000000Z", false)]
    [InlineData("2026-03-02T12:00:00.00000000Z", false)]
    [InlineData("2026-03-02T12:00:00.000000000+", false)]
    [InlineData("2026-03-02 12:00:00.000000000Z", false)]
    [InlineData("2026-03-02T12:00:00,000000000Z", false)]
    [InlineData("2026/03-02T12:00:00.000000000Z", false)]
    [InlineData("2026-03-02T12:00:0a.000000000Z", false)]
    [InlineData("-001-03-02T12:00:00.000000000Z", false)]
    [InlineData("", false)]
    public void TryParse_AcceptsTheWrittenFormOfValidInstantsOnly(string text, bool valid)
    {
        // Stricter than the pattern where the pattern accepts a text the writer never writes (24:00:00 for the next midnight).
        Assert.Equal(valid, InstantText.TryParse(text, out var instant));
        if (valid)
        {
            Assert.Equal(Pattern.Parse(text).Value, instant);
            Assert.Equal(text, InstantText.Of(instant));
        }
    }
}
