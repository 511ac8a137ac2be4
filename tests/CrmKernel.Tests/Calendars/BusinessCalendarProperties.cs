using CrmKernel.Calendars;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Calendars;

/// <summary>A generated calendar and instants around it; instants cluster round DST changes and Samoa's skipped day.</summary>
public sealed record CalendarCase(string ZoneId, IReadOnlyList<(IsoDayOfWeek Day, int From, int To)> Quarters, IReadOnlyList<LocalDate> Holidays, Instant A, Instant B, Instant C, Duration D1, Duration D2)
{
    private BusinessCalendar? _calendar;

    /// <summary>The calendar (quarter hours; 96 is 24:00).</summary>
    public BusinessCalendar Calendar => _calendar ??= new BusinessCalendar(
        DateTimeZoneProviders.Tzdb[ZoneId],
        Quarters.Select(q => new WorkingHours(q.Day, Time(q.From), Time(q.To))),
        Holidays);

    public override string ToString()
        => $"{ZoneId} [{string.Join(", ", Calendar.Hours)}] holidays [{string.Join(", ", Holidays)}] a={A} b={B} c={C} d1={D1} d2={D2}";

    private static LocalTime Time(int quarter) => quarter == 96 ? LocalTime.Midnight : LocalTime.FromMinutesSinceMidnight(quarter * 15);
}

public static class CalendarArbitraries
{
    private static readonly string[] Zones = ["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "America/Sao_Paulo", "Asia/Kolkata", "America/St_Johns"];

    private static readonly Instant[] Anchors =
    [
        Instant.FromUtc(2026, 3, 8, 7, 0), Instant.FromUtc(2026, 3, 29, 1, 0), Instant.FromUtc(2026, 10, 25, 1, 0), Instant.FromUtc(2026, 11, 1, 6, 0),
        Instant.FromUtc(2011, 12, 30, 10, 0), Instant.FromUtc(2026, 4, 5, 2, 0), Instant.FromUtc(2018, 11, 4, 3, 0), Instant.FromUtc(2026, 12, 25, 0, 0),
    ];

    private static readonly Instant RangeStart = Instant.FromUtc(2010, 1, 1, 0, 0);

    private static Gen<(IsoDayOfWeek, int, int)[]> DayOf(IsoDayOfWeek day) =>
        from count in Gen.Frequency((2, Gen.Constant(0)), (5, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
        from cuts in Gen.Choose(0, 96).ListOf(count * 2)
        let sorted = cuts.Distinct().Order().ToArray()
        select Enumerable.Range(0, sorted.Length / 2).Select(i => (day, sorted[2 * i], sorted[(2 * i) + 1])).ToArray();

    private static readonly Gen<(IsoDayOfWeek, int, int)[]> Week =
        from mo in DayOf(IsoDayOfWeek.Monday)
        from tu in DayOf(IsoDayOfWeek.Tuesday)
        from we in DayOf(IsoDayOfWeek.Wednesday)
        from th in DayOf(IsoDayOfWeek.Thursday)
        from fr in DayOf(IsoDayOfWeek.Friday)
        from sa in DayOf(IsoDayOfWeek.Saturday)
        from su in DayOf(IsoDayOfWeek.Sunday)
        let all = mo.Concat(tu).Concat(we).Concat(th).Concat(fr).Concat(sa).Concat(su).ToArray()
        select all.Length > 0 ? all : [(IsoDayOfWeek.Monday, 36, 68)];

    private static readonly Gen<Instant> Anchor = Gen.Frequency(
        (1, Gen.Choose(0, 18 * 365 * 24).Select(h => RangeStart + Duration.FromHours(h))),
        (2, Gen.Elements(Anchors)));

    private static Gen<Instant> Near(Instant anchor) => Gen.Frequency(
        (4, Gen.Choose(-10 * 24 * 3600, 10 * 24 * 3600).Select(s => anchor + Duration.FromSeconds(s))),
        (1, Gen.Choose(-10 * 24 * 4, 10 * 24 * 4).Select(q => anchor + Duration.FromMinutes(q * 15))),
        (1, Gen.Choose(-400, 400).Select(d => anchor + Duration.FromDays(d) + Duration.FromNanoseconds(d * 7919))));

    private static readonly Gen<Duration> Amount = Gen.Frequency(
        (1, Gen.Constant(Duration.Zero)),
        (4, Gen.Choose(1, 60 * 24 * 3600).Select(s => Duration.FromSeconds(s))),
        (2, Gen.Choose(1, 4 * 96).Select(q => Duration.FromMinutes(q * 15))),
        (1, Gen.Choose(1, int.MaxValue).Select(n => Duration.FromNanoseconds(n))));

    public static readonly Gen<CalendarCase> Case =
        from zone in Gen.Elements(Zones)
        from week in Week
        from anchor in Anchor
        from holidayCount in Gen.Choose(0, 6)
        from holidays in Gen.Choose(-20, 20).Select(d => anchor.InUtc().Date.PlusDays(d)).ListOf(holidayCount)
        from a in Near(anchor)
        from b in Near(anchor)
        from c in Near(anchor)
        from d1 in Amount
        from d2 in Amount
        select new CalendarCase(zone, week, [.. holidays], a, b, c, d1, d2);

    public static Arbitrary<CalendarCase> Calendar() => Case.ToArbitrary();
}

/// <summary>The laws of business time, and the cached calendar against the day-by-day walk, on generated calendars.</summary>
public sealed class BusinessCalendarProperties
{
    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 300)]
    public void FastPath_EqualsTheDayWalk(CalendarCase c)
    {
        var calendar = c.Calendar;
        Assert.Equal(ReferenceCalendar.Between(calendar, c.A, c.B), calendar.BusinessTimeBetween(c.A, c.B));
        Assert.Equal(ReferenceCalendar.Between(calendar, c.B, c.C), calendar.BusinessTimeBetween(c.B, c.C));
        Assert.Equal(ReferenceCalendar.Add(calendar, c.A, c.D1), calendar.AddBusinessTime(c.A, c.D1));
        Assert.Equal(ReferenceCalendar.Add(calendar, c.C, c.D2), calendar.AddBusinessTime(c.C, c.D2));
        Assert.Equal(ReferenceCalendar.IsWorkingTime(calendar, c.B), calendar.IsWorkingTime(c.B));
        var next = calendar.NextWorkingTime(c.B);
        Assert.True(calendar.IsWorkingTime(next));
        Assert.Equal(Duration.Zero, ReferenceCalendar.Between(calendar, c.B, next));
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 300)]
    public void BusinessTime_IsAdditive_AndNeverMoreThanElapsedTime(CalendarCase c)
    {
        var (a, b, x) = Sorted(c.A, c.B, c.C);
        var calendar = c.Calendar;
        Assert.Equal(calendar.BusinessTimeBetween(a, x), calendar.BusinessTimeBetween(a, b) + calendar.BusinessTimeBetween(b, x));
        Assert.True(calendar.BusinessTimeBetween(a, x) <= x - a);
        Assert.Equal(Duration.Zero, calendar.BusinessTimeBetween(x, a));
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 300)]
    public void BusinessTime_AndDeadlines_AreMonotone(CalendarCase c)
    {
        var (a, b, x) = Sorted(c.A, c.B, c.C);
        var calendar = c.Calendar;
        Assert.True(calendar.BusinessTimeBetween(a, b) <= calendar.BusinessTimeBetween(a, x));
        Assert.True(calendar.BusinessTimeBetween(b, x) <= calendar.BusinessTimeBetween(a, x));
        var (small, large) = c.D1 <= c.D2 ? (c.D1, c.D2) : (c.D2, c.D1);
        Assert.True(calendar.AddBusinessTime(a, small) <= calendar.AddBusinessTime(a, large));
        Assert.True(calendar.AddBusinessTime(a, c.D1) <= calendar.AddBusinessTime(b, c.D1));
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 300)]
    public void AddThenMeasure_RoundTrips_AndMeasureThenAdd_LandsNoLaterWithNoBusinessTimeBetween(CalendarCase c)
    {
        var calendar = c.Calendar;
        var due = calendar.AddBusinessTime(c.A, c.D1);
        Assert.Equal(c.D1, calendar.BusinessTimeBetween(c.A, due));
        Assert.True(due >= c.A);

        var (start, _, x) = Sorted(c.A, c.B, c.C);
        var back = calendar.AddBusinessTime(start, calendar.BusinessTimeBetween(start, x));
        Assert.True(back <= x);
        Assert.Equal(Duration.Zero, calendar.BusinessTimeBetween(back, x));

        // The first such instant: a moment earlier, less business time had elapsed (unless nothing was to elapse).
        if (c.D1 > Duration.Zero)
        {
            Assert.True(calendar.BusinessTimeBetween(c.A, due - Duration.Epsilon) < c.D1);
        }
    }

    [Fact]
    public void Generator_ReachesHolidaysDstZonesEmptyDaysAndMidnightEnds()
    {
        var cases = CalendarArbitraries.Case.Sample(2_000, 2_000);
        Assert.Contains(cases, c => c.Holidays.Count > 0 && c.Holidays.Any(h => c.Calendar.Hours.Any(w => w.Day == h.DayOfWeek)));
        Assert.Contains(cases, c => c.Quarters.Any(q => q.To == 96));
        Assert.Contains(cases, c => c.ZoneId == "Pacific/Apia" && c.A < Instant.FromUtc(2012, 1, 1, 0, 0));
        Assert.Contains(cases, c => c.Calendar.Hours.Select(h => h.Day).Distinct().Count() < 7);
        Assert.Contains(cases, c => c.D1 == Duration.Zero);
        Assert.Contains(cases, c => c.Calendar.Zone.GetUtcOffset(c.A) != c.Calendar.Zone.GetUtcOffset(c.B));
    }

    private static (Instant, Instant, Instant) Sorted(Instant a, Instant b, Instant c)
    {
        Instant[] all = [a, b, c];
        Array.Sort(all);
        return (all[0], all[1], all[2]);
    }
}
