using CrmKernel.Services.Channels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Channels;

public sealed class QuietHoursTests
{
    private static readonly QuietHours NineToEight = new(new LocalTime(21, 0), new LocalTime(8, 0));
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    [Theory]
    [InlineData("20:59", false)]
    [InlineData("21:00", true)]
    [InlineData("23:59", true)]
    [InlineData("00:00", true)]
    [InlineData("07:59", true)]
    [InlineData("08:00", false)]
    [InlineData("12:00", false)]
    public void Contains_AWindowAcrossMidnight(string time, bool quiet)
        => Assert.Equal(quiet, NineToEight.Contains(NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(time).Value));

    [Fact]
    public void Contains_AWindowWithinOneDay_AndStartMustDifferFromEnd()
    {
        var lunch = new QuietHours(new LocalTime(12, 0), new LocalTime(13, 0));
        Assert.True(lunch.Contains(new LocalTime(12, 0)));
        Assert.False(lunch.Contains(new LocalTime(13, 0)));
        Assert.False(lunch.Contains(new LocalTime(11, 59)));
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => new QuietHours(new LocalTime(8, 0), new LocalTime(8, 0))).ParamName);
    }

    [Fact]
    public void London_SpringForward_QuietHoursEndAtEightLocal_WhichIsSevenUtc()
    {
        // 29 March 2026: clocks go from 01:00 GMT to 02:00 BST.
        Assert.True(NineToEight.IsQuietAt(Instant.FromUtc(2026, 3, 29, 6, 30), London));   // 07:30 BST
        Assert.False(NineToEight.IsQuietAt(Instant.FromUtc(2026, 3, 29, 7, 0), London));   // 08:00 BST, though 07:00 UTC
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 7, 0), NineToEight.NextAllowed(Instant.FromUtc(2026, 3, 28, 23, 30), London));
        Assert.Equal(Duration.FromHours(10), Instant.FromUtc(2026, 3, 29, 7, 0) - Instant.FromUtc(2026, 3, 28, 21, 0)); // the short night
    }

    [Fact]
    public void London_FallBack_TheNightIsAnHourLonger()
    {
        // 25 October 2026: clocks go from 02:00 BST back to 01:00 GMT.
        var start = Instant.FromUtc(2026, 10, 24, 20, 0); // 21:00 BST
        Assert.True(NineToEight.IsQuietAt(start, London));
        Assert.False(NineToEight.IsQuietAt(start - Duration.Epsilon, London));
        var end = NineToEight.NextAllowed(start, London);
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 8, 0), end); // 08:00 GMT
        Assert.Equal(Duration.FromHours(12), end - start);
    }

    [Fact]
    public void NewYork_SpringForwardAndFallBack()
    {
        // 8 March 2026: 02:00 EST becomes 03:00 EDT; 1 November 2026: 02:00 EDT becomes 01:00 EST.
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 12, 0), NineToEight.NextAllowed(Instant.FromUtc(2026, 3, 8, 5, 0), NewYork)); // 08:00 EDT
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 13, 0), NineToEight.NextAllowed(Instant.FromUtc(2026, 11, 1, 5, 0), NewYork)); // 08:00 EST
        Assert.False(NineToEight.IsQuietAt(Instant.FromUtc(2026, 3, 8, 12, 0), NewYork));
        Assert.True(NineToEight.IsQuietAt(Instant.FromUtc(2026, 11, 1, 12, 59), NewYork));
    }

    [Fact]
    public void AnAllowedWindowWhollyInsideTheGap_MovesContactToTheNextDaysEnd()
    {
        // Found by the property below: St. John's skips 02:00-03:00 on 8 March 2026, so quiet hours 02:24-02:09 (contact
        // allowed 02:09-02:24 only) leave no allowed minute that day; 03:00 NDT is quiet again. Contact resumes at 02:09 NDT
        // on 9 March (04:39 UTC), not at the end of the gap.
        var stJohns = DateTimeZoneProviders.Tzdb["America/St_Johns"];
        var hours = new QuietHours(new LocalTime(2, 24), new LocalTime(2, 9));
        var evening = Instant.FromUtc(2026, 3, 8, 0, 2, 41); // 20:32:41 NST on 7 March

        var next = hours.NextAllowed(evening, stJohns);

        Assert.Equal(Instant.FromUtc(2026, 3, 9, 4, 39), next);
        Assert.False(hours.IsQuietAt(next, stJohns));
        Assert.True(hours.IsQuietAt(Instant.FromUtc(2026, 3, 8, 5, 30), stJohns)); // 03:00 NDT, the end of the gap
    }

    [Fact]
    public void AnEndOccurringTwice_WhoseFirstOccurrenceIsPast_IsTheSecond()
    {
        // 1 November 2026 in New York: 01:00-02:00 EDT, then 01:00-02:00 EST. At 01:10 EST (06:10 UTC) quiet hours
        // 01:00-01:30 end at 01:30 EST (06:30 UTC); their first end (01:30 EDT, 05:30 UTC) is already past.
        var early = new QuietHours(new LocalTime(1, 0), new LocalTime(1, 30));

        Assert.Equal(Instant.FromUtc(2026, 11, 1, 6, 30), early.NextAllowed(Instant.FromUtc(2026, 11, 1, 6, 10), NewYork));
    }

    [Fact]
    public void AnEndInsideTheGap_IsTheEndOfTheGap_AndATwiceOccurringEnd_IsTheFirst()
    {
        var small = new QuietHours(new LocalTime(1, 0), new LocalTime(2, 30));

        // 02:30 does not exist in New York on 8 March 2026: contact resumes at 03:00 EDT (07:00 UTC).
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 7, 0), small.NextAllowed(Instant.FromUtc(2026, 3, 8, 6, 30), NewYork));

        // 01:30 happens twice on 1 November 2026: quiet hours 01:00–01:30 end at the first 01:30 (EDT, 05:30 UTC).
        var early = new QuietHours(new LocalTime(1, 0), new LocalTime(1, 30));
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 5, 30), early.NextAllowed(Instant.FromUtc(2026, 11, 1, 5, 0), NewYork));
    }

    [Fact]
    public void NextAllowed_OutsideQuietHours_IsTheInstantItself()
    {
        var noon = Instant.FromUtc(2026, 7, 1, 11, 0);
        Assert.Equal(noon, NineToEight.NextAllowed(noon, London));
    }

    public static class Arbitraries
    {
        public static Arbitrary<(Instant Instant, DateTimeZone Zone, QuietHours Hours)> Cases()
            => (from seconds in Gen.Choose(0, 366 * 86_400)
                from zone in Gen.Elements("Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Etc/UTC", "America/St_Johns")
                from start in Gen.Choose(0, 1_439)
                from length in Gen.Choose(1, 1_439)
                select (Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromSeconds(seconds),
                        DateTimeZoneProviders.Tzdb[zone],
                        new QuietHours(LocalTime.Midnight.PlusMinutes(start), LocalTime.Midnight.PlusMinutes(start + length)))).ToArbitrary();
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 500)]
    public void NextAllowed_IsNotQuiet_AndEverythingBeforeItIsQuiet((Instant Instant, DateTimeZone Zone, QuietHours Hours) c)
    {
        var next = c.Hours.NextAllowed(c.Instant, c.Zone);

        Assert.True(next >= c.Instant);
        Assert.False(c.Hours.IsQuietAt(next, c.Zone));
        if (next > c.Instant)
        {
            Assert.True(c.Hours.IsQuietAt(c.Instant, c.Zone));
            Assert.True(c.Hours.IsQuietAt(next - Duration.Epsilon, c.Zone));
            // A day later at most, or two when the day's whole allowed window fell in a daylight-saving gap.
            Assert.True(next - c.Instant <= Duration.FromHours(49));
        }
    }
}
