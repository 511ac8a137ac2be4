using CrmKernel.Calendars;
using CrmKernel.Diagnostics;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Calendars;

/// <summary>Hand-computed examples across DST changes, holidays and weekends, and every refused input.</summary>
public sealed class BusinessCalendarTests
{
    internal static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    internal static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly LocalTime Nine = new(9, 0);
    private static readonly LocalTime Five = new(17, 0);

    internal static BusinessCalendar AllDay(DateTimeZone zone) => new(zone, WorkingHours.AllDay(), []);

    internal static BusinessCalendar Office(DateTimeZone zone, params LocalDate[] holidays) => new(zone, WorkingHours.MondayToFriday(Nine, Five), holidays);

    private static Instant Utc(int year, int month, int day, int hour, int minute = 0) => Instant.FromUtc(year, month, day, hour, minute);

    private static Instant LocalStart(DateTimeZone zone, int year, int month, int day) => zone.AtStartOfDay(new LocalDate(year, month, day)).ToInstant();

    [Fact]
    public void AllDay_London_SpringForwardDayIs23Hours_FallBackDayIs25()
    {
        var calendar = AllDay(London);

        Assert.Equal(Duration.FromHours(23), calendar.BusinessTimeBetween(LocalStart(London, 2026, 3, 29), LocalStart(London, 2026, 3, 30)));
        Assert.Equal(Duration.FromHours(25), calendar.BusinessTimeBetween(LocalStart(London, 2026, 10, 25), LocalStart(London, 2026, 10, 26)));
        Assert.Equal(Duration.FromHours(24), calendar.BusinessTimeBetween(LocalStart(London, 2026, 3, 28), LocalStart(London, 2026, 3, 29)));

        // 24x7 business time is elapsed time, whatever the clocks do.
        Assert.Equal(Duration.FromHours(48), calendar.BusinessTimeBetween(Utc(2026, 3, 28, 12), Utc(2026, 3, 30, 12)));
        Assert.Equal(Utc(2026, 10, 26, 0), calendar.AddBusinessTime(Utc(2026, 10, 24, 23), Duration.FromHours(25)));
    }

    [Fact]
    public void AllDay_NewYork_SpringForwardDayIs23Hours()
    {
        var calendar = AllDay(NewYork);

        // 2026-03-08 00:00 EST = 05:00Z; 2026-03-09 00:00 EDT = 04:00Z.
        Assert.Equal(Utc(2026, 3, 8, 5), LocalStart(NewYork, 2026, 3, 8));
        Assert.Equal(Duration.FromHours(23), calendar.BusinessTimeBetween(Utc(2026, 3, 8, 5), Utc(2026, 3, 9, 4)));
    }

    [Fact]
    public void Office_London_AcrossTheSpringWeekend_CountsWallClockHours()
    {
        var calendar = Office(London);

        // Friday 2026-03-27 is GMT: 09:00-17:00 = 09:00Z-17:00Z; Monday 2026-03-30 is BST: 09:00-17:00 = 08:00Z-16:00Z.
        Assert.Equal(Utc(2026, 3, 27, 17), calendar.AddBusinessTime(Utc(2026, 3, 27, 9), Duration.FromHours(8)));
        Assert.Equal(Utc(2026, 3, 30, 9), calendar.AddBusinessTime(Utc(2026, 3, 27, 16), Duration.FromHours(2)));
        Assert.Equal(Duration.FromHours(9), calendar.BusinessTimeBetween(Utc(2026, 3, 27, 9), Utc(2026, 3, 30, 9)));
        Assert.Equal(Duration.FromHours(16), calendar.BusinessTimeBetween(Utc(2026, 3, 27, 0), Utc(2026, 3, 31, 0)));
    }

    [Fact]
    public void Office_London_AcrossTheAutumnWeekend()
    {
        var calendar = Office(London);

        // Friday 2026-10-23 is BST (09:00 = 08:00Z), Monday 2026-10-26 GMT (09:00 = 09:00Z).
        Assert.Equal(Utc(2026, 10, 26, 10), calendar.AddBusinessTime(Utc(2026, 10, 23, 15), Duration.FromHours(2)));
    }

    [Fact]
    public void Office_NewYork_AcrossTheSpringWeekend()
    {
        var calendar = Office(NewYork);

        // Friday 2026-03-06 16:00 EST = 21:00Z; two hours later is Monday 2026-03-09 10:00 EDT = 14:00Z.
        Assert.Equal(Utc(2026, 3, 9, 14), calendar.AddBusinessTime(Utc(2026, 3, 6, 21), Duration.FromHours(2)));
    }

    [Fact]
    public void Deadline_CrossingAWeekendADstChangeAndAHoliday()
    {
        // Monday 2026-03-30 is a holiday; the clocks went forward on Sunday the 29th.
        var calendar = Office(London, new LocalDate(2026, 3, 30));
        var opened = Utc(2026, 3, 27, 15);

        // Friday 15:00-17:00 (2 h), then Tuesday from 09:00 BST = 08:00Z: 2 more hours end at 10:00Z.
        var due = calendar.AddBusinessTime(opened, Duration.FromHours(4));

        Assert.Equal(Utc(2026, 3, 31, 10), due);
        Assert.Equal(Duration.FromHours(4), calendar.BusinessTimeBetween(opened, due));
        Assert.False(calendar.IsWorkingTime(Utc(2026, 3, 30, 10)));
        Assert.True(calendar.IsWorkingTime(Utc(2026, 3, 31, 8)));
        Assert.False(calendar.IsWorkingTime(Utc(2026, 3, 31, 16)));
        Assert.Equal(Utc(2026, 3, 31, 8), calendar.NextWorkingTime(Utc(2026, 3, 28, 12)));
        Assert.Equal(Utc(2026, 3, 31, 9), calendar.NextWorkingTime(Utc(2026, 3, 31, 9)));
    }

    [Fact]
    public void ADeadlineIsNeverTheStartOfTheNextWorkingInterval()
    {
        var calendar = Office(London);

        // Eight hours from Monday 09:00 end at Monday 17:00, not Tuesday 09:00.
        Assert.Equal(Utc(2026, 1, 5, 17), calendar.AddBusinessTime(Utc(2026, 1, 5, 9), Duration.FromHours(8)));
        Assert.Equal(Utc(2026, 1, 5, 9), calendar.AddBusinessTime(Utc(2026, 1, 5, 9), Duration.Zero));
        Assert.Equal(Utc(2026, 1, 3, 12), calendar.AddBusinessTime(Utc(2026, 1, 3, 12), Duration.Zero));
    }

    [Fact]
    public void WorkingTimeInAGap_MapsToTheInstantAfterIt_AndAmbiguousTimeToTheEarlierInstant()
    {
        // New York, Sunday 2026-03-08: 02:00-03:00 does not exist. 01:00-03:00 is 01:00 EST (06:00Z) to 03:00 EDT (07:00Z).
        var spring = new BusinessCalendar(NewYork, [new WorkingHours(IsoDayOfWeek.Sunday, new LocalTime(1, 0), new LocalTime(3, 0)), new WorkingHours(IsoDayOfWeek.Saturday, new LocalTime(2, 15), new LocalTime(2, 45))], []);
        Assert.Equal(Duration.FromHours(1), spring.BusinessTimeBetween(Utc(2026, 3, 8, 0), Utc(2026, 3, 9, 0)));
        var gapOnly = new BusinessCalendar(NewYork, [new WorkingHours(IsoDayOfWeek.Sunday, new LocalTime(2, 15), new LocalTime(2, 45)), new WorkingHours(IsoDayOfWeek.Monday, Nine, Five)], []);
        Assert.Equal(Duration.Zero, gapOnly.BusinessTimeBetween(Utc(2026, 3, 8, 0), Utc(2026, 3, 9, 0)));
        Assert.Equal(Duration.FromMinutes(30), gapOnly.BusinessTimeBetween(Utc(2026, 3, 1, 0), Utc(2026, 3, 2, 0)));

        // London, Sunday 2026-10-25: 01:00-02:00 happens twice (BST, then GMT). 01:00 is taken as 01:00 BST = 00:00Z.
        var autumn = new BusinessCalendar(London, [new WorkingHours(IsoDayOfWeek.Sunday, new LocalTime(1, 0), new LocalTime(2, 0)), new WorkingHours(IsoDayOfWeek.Saturday, new LocalTime(1, 30), new LocalTime(1, 45))], []);
        Assert.Equal(Duration.FromHours(2), autumn.BusinessTimeBetween(Utc(2026, 10, 24, 12), Utc(2026, 10, 25, 12)));
        Assert.True(autumn.IsWorkingTime(Utc(2026, 10, 25, 0)));
        var ambiguousOnly = new BusinessCalendar(London, [new WorkingHours(IsoDayOfWeek.Sunday, new LocalTime(1, 30), new LocalTime(1, 45))], []);
        Assert.Equal(Utc(2026, 10, 25, 0, 45), ambiguousOnly.AddBusinessTime(Utc(2026, 10, 24, 12), Duration.FromMinutes(15)));
    }

    [Fact]
    public void AnIntervalToMidnight_BelongsToItsDay_AndTouchingIntervalsAddUp()
    {
        var calendar = new BusinessCalendar(
            DateTimeZone.Utc,
            [new WorkingHours(IsoDayOfWeek.Monday, new LocalTime(20, 0), LocalTime.Midnight), new WorkingHours(IsoDayOfWeek.Monday, new LocalTime(12, 0), new LocalTime(20, 0)), new WorkingHours(IsoDayOfWeek.Tuesday, LocalTime.Midnight, new LocalTime(2, 0))],
            [new LocalDate(2026, 1, 13)]);

        // Monday 2026-01-12 12:00 to 24:00; Tuesday is a holiday, so its 00:00-02:00 does not count.
        Assert.Equal(Duration.FromHours(12), calendar.BusinessTimeBetween(Utc(2026, 1, 12, 0), Utc(2026, 1, 14, 0)));
        Assert.Equal(Duration.FromHours(14), calendar.BusinessTimeBetween(Utc(2026, 1, 19, 0), Utc(2026, 1, 21, 0)));
        Assert.Equal(Utc(2026, 1, 20, 1), calendar.AddBusinessTime(Utc(2026, 1, 19, 12), Duration.FromHours(13)));
        Assert.True(calendar.IsWorkingTime(Utc(2026, 1, 19, 23, 59)));
        Assert.Equal("Monday 20:00-24:00", calendar.Hours[1].ToString());
    }

    [Fact]
    public void TheCacheGrows_BothWays_AndAnswersStayTheSame()
    {
        var calendar = Office(London, new LocalDate(2030, 12, 25));
        var first = calendar.BusinessTimeBetween(Utc(2026, 1, 5, 0), Utc(2026, 1, 12, 0));
        var far = calendar.AddBusinessTime(Utc(2026, 1, 5, 9), Duration.FromHours(8 * 261 * 20));
        var early = calendar.BusinessTimeBetween(Utc(1960, 1, 4, 0), Utc(1960, 1, 11, 0));

        Assert.Equal(Duration.FromHours(40), first);
        Assert.Equal(Duration.FromHours(40), early);
        Assert.Equal(Duration.FromHours(8 * 261 * 20), calendar.BusinessTimeBetween(Utc(2026, 1, 5, 9), far));
        Assert.Equal(ReferenceCalendar.Add(calendar, Utc(2026, 1, 5, 9), Duration.FromHours(8 * 261 * 20)), far);
        Assert.Equal(Duration.FromHours(40), calendar.BusinessTimeBetween(Utc(2026, 1, 5, 0), Utc(2026, 1, 12, 0)));
        Assert.Equal(Utc(2199, 12, 31, 23), AllDay(London).AddBusinessTime(Utc(2199, 12, 31, 22), Duration.FromHours(1)));
        Assert.Equal("businessTime", Assert.Throws<ArgumentOutOfRangeException>(() => AllDay(London).AddBusinessTime(Utc(2199, 12, 31, 22), Duration.FromHours(2))).ParamName);
    }

    [Fact]
    public void TheCache_IsSafeAcrossThreads()
    {
        var calendar = Office(NewYork);
        var starts = Enumerable.Range(0, 400).Select(i => Utc(1955, 1, 1, 0) + Duration.FromDays(i * 97)).ToArray();
        var expected = starts.Select(s => ReferenceCalendar.Add(calendar, s, Duration.FromHours(100))).ToArray();
        var actual = new Instant[starts.Length];

        Parallel.For(0, starts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = calendar.AddBusinessTime(starts[i], Duration.FromHours(100)));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Constructor_RefusesBadInput()
    {
        WorkingHours[] week = [.. WorkingHours.MondayToFriday(Nine, Five)];

        Assert.Equal("zone", Assert.Throws<ArgumentNullException>(() => new BusinessCalendar(null!, week, [])).ParamName);
        Assert.Equal("hours", Assert.Throws<ArgumentNullException>(() => new BusinessCalendar(London, null!, [])).ParamName);
        Assert.Equal("holidays", Assert.Throws<ArgumentNullException>(() => new BusinessCalendar(London, week, null!)).ParamName);
        Assert.Equal("hours", Assert.Throws<ArgumentException>(() => new BusinessCalendar(London, [week[0], null!], [])).ParamName);
        var none = Assert.Throws<ArgumentException>(() => new BusinessCalendar(London, [], [new LocalDate(2026, 1, 1)]));
        Assert.Equal("hours", none.ParamName);
        Assert.Contains("no deadline", none.Message, StringComparison.Ordinal);
        var overlap = Assert.Throws<ArgumentException>(() => new BusinessCalendar(London, [new WorkingHours(IsoDayOfWeek.Monday, Nine, Five), new WorkingHours(IsoDayOfWeek.Monday, new LocalTime(16, 0), new LocalTime(18, 0))], []));
        Assert.Equal("hours", overlap.ParamName);
        Assert.Contains("overlap", overlap.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(London, [new WorkingHours(IsoDayOfWeek.Monday, Nine, LocalTime.Midnight), new WorkingHours(IsoDayOfWeek.Monday, Five, new LocalTime(18, 0))], []));
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(London, [new WorkingHours(IsoDayOfWeek.Monday, Nine, Five), new WorkingHours(IsoDayOfWeek.Monday, Nine, Five)], []));

        // Touching intervals and duplicate holidays are fine.
        var touching = new BusinessCalendar(London, [new WorkingHours(IsoDayOfWeek.Monday, Nine, new LocalTime(12, 0)), new WorkingHours(IsoDayOfWeek.Monday, new LocalTime(12, 0), Five)], [new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 1)]);
        Assert.Single(touching.Holidays);
        Assert.Equal(Duration.FromHours(8), touching.BusinessTimeBetween(Utc(2026, 1, 5, 0), Utc(2026, 1, 6, 0)));
    }

    [Fact]
    public void Limits_AreEnforcedWithTheLimitCode()
    {
        var nine = Enumerable.Range(0, BusinessCalendar.MaxIntervalsPerDay + 1).Select(i => new WorkingHours(IsoDayOfWeek.Tuesday, new LocalTime(i, 0), new LocalTime(i, 30)));
        var e = Assert.Throws<InputLimitExceededException>(() => new BusinessCalendar(London, nine, []));
        Assert.Equal("hours", e.ParamName);
        var holidays = Enumerable.Range(0, BusinessCalendar.MaxHolidays + 1).Select(i => new LocalDate(2026, 1, 1).PlusDays(i));
        Assert.Equal("holidays", Assert.Throws<InputLimitExceededException>(() => new BusinessCalendar(London, WorkingHours.AllDay(), holidays)).ParamName);
    }

    [Fact]
    public void WorkingHours_RefusesBadInput()
    {
        Assert.Equal("day", Assert.Throws<ArgumentException>(() => new WorkingHours(IsoDayOfWeek.None, Nine, Five)).ParamName);
        Assert.Equal("day", Assert.Throws<ArgumentException>(() => new WorkingHours((IsoDayOfWeek)8, Nine, Five)).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => new WorkingHours(IsoDayOfWeek.Monday, Five, Nine)).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => new WorkingHours(IsoDayOfWeek.Monday, Nine, Nine)).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => WorkingHours.MondayToFriday(Five, Nine)).ParamName);
        Assert.True(new WorkingHours(IsoDayOfWeek.Monday, LocalTime.Midnight, LocalTime.Midnight).EndsAtMidnight);
        Assert.Equal(new WorkingHours(IsoDayOfWeek.Monday, Nine, Five), new WorkingHours(IsoDayOfWeek.Monday, Nine, Five));
        Assert.NotEqual(new WorkingHours(IsoDayOfWeek.Monday, Nine, Five), new WorkingHours(IsoDayOfWeek.Tuesday, Nine, Five));
        Assert.Equal("Wednesday 09:00:30-17:00", new WorkingHours(IsoDayOfWeek.Wednesday, new LocalTime(9, 0, 30), Five).ToString());
    }

    [Fact]
    public void Operations_RefuseInstantsOutsideTheRange_AndNegativeTime()
    {
        var calendar = Office(London);
        var before = BusinessCalendar.SupportedRange.Start - Duration.Epsilon;
        var after = BusinessCalendar.SupportedRange.End;
        var ok = Utc(2026, 1, 5, 9);

        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => calendar.BusinessTimeBetween(before, ok)).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentOutOfRangeException>(() => calendar.BusinessTimeBetween(ok, after)).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => calendar.AddBusinessTime(after, Duration.FromHours(1))).ParamName);
        Assert.Equal("businessTime", Assert.Throws<ArgumentOutOfRangeException>(() => calendar.AddBusinessTime(ok, -Duration.Epsilon)).ParamName);
        Assert.Equal("businessTime", Assert.Throws<ArgumentOutOfRangeException>(() => calendar.AddBusinessTime(ok, Duration.FromDays(365 * 100))).ParamName);
        Assert.Equal("businessTime", Assert.Throws<ArgumentOutOfRangeException>(() => calendar.AddBusinessTime(ok, Duration.MaxValue)).ParamName);
        Assert.Equal("instant", Assert.Throws<ArgumentOutOfRangeException>(() => calendar.IsWorkingTime(before)).ParamName);
        Assert.Equal("instant", Assert.Throws<ArgumentOutOfRangeException>(() => calendar.NextWorkingTime(after)).ParamName);
        Assert.Equal(Duration.Zero, calendar.BusinessTimeBetween(Utc(2026, 1, 6, 12), ok));
        Assert.Equal(calendar.BusinessTimeBetween(BusinessCalendar.SupportedRange.Start, Utc(1950, 1, 9, 0)), ReferenceCalendar.Between(calendar, BusinessCalendar.SupportedRange.Start, Utc(1950, 1, 9, 0)));
    }
}
