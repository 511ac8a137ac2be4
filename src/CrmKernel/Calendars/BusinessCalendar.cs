using CrmKernel.Diagnostics;
using NodaTime;
using NodaTime.TimeZones;

namespace CrmKernel.Calendars;

/// <summary>
/// When a team works, in its own time zone: working hours per day of the week and whole-day holidays. Use it to count
/// business time between two instants (<see cref="BusinessTimeBetween"/>) and to find when a given amount of business
/// time will have elapsed (<see cref="AddBusinessTime"/>), e.g. for service-level targets such as "first response within
/// 4 business hours". Build one per team or region and share it: it is immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// <b>Wall-clock hours, elapsed business time.</b> Working hours are local wall-clock times in <see cref="Zone"/>; the
/// business time of an interval is the time that really elapses during it. On the day clocks go forward an interval
/// spanning the change is shorter (00:00–24:00 on Europe/London's 2026-03-29 is 23 hours), on the day they go back it is
/// longer (25 hours on 2026-10-25). A local time that falls in the gap of a change maps to the first instant after the
/// gap; a local time that occurs twice maps to the earlier instant.
/// </para>
/// <para>
/// <b>Holidays</b> are whole local dates without working time, whatever their weekday's hours. An interval that ends at
/// 24:00 belongs to its day: a holiday on the next day does not cut it.
/// </para>
/// <para>
/// <b>Range and cost.</b> Instants from 1950-01-01 to 2200-01-01 (UTC, <see cref="SupportedRange"/>) are supported.
/// The calendar caches the working intervals of the years it has been asked about as instants with running totals, so
/// each operation costs a few array reads (no allocation once the cache covers the instants; it grows on demand, safely
/// across threads).
/// </para>
/// </remarks>
public sealed class BusinessCalendar
{
    /// <summary>The most working intervals one day of the week can have.</summary>
    public const int MaxIntervalsPerDay = 8;

    /// <summary>The most holidays a calendar can hold (e.g. 25 years of a country's public holidays).</summary>
    public const int MaxHolidays = 1000;

    internal const long NanosPerDay = 86_400L * 1_000_000_000L;

    private static readonly ZoneLocalMappingResolver Resolver = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);
    private static readonly LocalDate FirstCachedDate = new(1949, 12, 29);
    private static readonly LocalDate LastCachedDate = new(2200, 1, 4);
    private static readonly long MinNanos = ToNanos(Instant.FromUtc(1950, 1, 1, 0, 0));
    private static readonly long MaxNanos = ToNanos(Instant.FromUtc(2200, 1, 1, 0, 0));

    // More business time than the supported range holds (and less than long nanoseconds overflow at).
    private static readonly Duration MaxBusinessTime = Duration.FromDays(366 * 251);

    // Working intervals per ISO day of week (index 1..7), sorted, merged where they touch; End 00:00 means 24:00.
    private readonly WorkingHours[][] _byDay;
    private readonly HashSet<LocalDate> _holidaySet;
    private readonly Lock _growth = new();
    private volatile DayCache? _cache;

    /// <summary>Creates a calendar.</summary>
    /// <param name="zone">The zone the working hours and holidays are local to.</param>
    /// <param name="hours">
    /// The working intervals of the week: up to <see cref="MaxIntervalsPerDay"/> per day, not overlapping (touching is
    /// fine: 09:00–12:00 and 12:00–17:00), at least one in the week.
    /// </param>
    /// <param name="holidays">Whole local dates off; duplicates count once; at most <see cref="MaxHolidays"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null or <paramref name="hours"/> holds null.</exception>
    /// <exception cref="ArgumentException">Two intervals of a day overlap, or the week has no working time.</exception>
    /// <exception cref="InputLimitExceededException">A day has more than <see cref="MaxIntervalsPerDay"/> intervals, or there are more than <see cref="MaxHolidays"/> holidays.</exception>
    public BusinessCalendar(DateTimeZone zone, IEnumerable<WorkingHours> hours, IEnumerable<LocalDate> holidays)
    {
        Zone = Preconditions.NotNull(zone);
        var all = Preconditions.NotNull(hours).ToArray();
        Preconditions.Check(Array.TrueForAll(all, h => h is not null), "The working hours must not contain null.", nameof(hours));
        var days = Preconditions.NotNull(holidays).Distinct().Order().ToArray();
        Preconditions.MaxCount(days.Length, MaxHolidays, "holidays", nameof(holidays));
        Preconditions.Check(all.Length > 0, "A business calendar needs working time in the week: with none, no deadline would ever be reached.", nameof(hours));

        _byDay = new WorkingHours[8][];
        _byDay[0] = [];
        var sorted = new List<WorkingHours>(all.Length);
        for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Sunday; day++)
        {
            var current = day;
            var ofDay = all.Where(h => h.Day == current).OrderBy(h => h.Start).ToArray();
            Preconditions.MaxCount(ofDay.Length, MaxIntervalsPerDay, $"intervals on {day}", nameof(hours));
            for (var i = 1; i < ofDay.Length; i++)
            {
                var previous = ofDay[i - 1];
                Preconditions.Check(!previous.EndsAtMidnight && previous.End <= ofDay[i].Start, $"The working intervals {previous} and {ofDay[i]} overlap.", nameof(hours));
            }

            sorted.AddRange(ofDay);
            _byDay[(int)day] = Merge(ofDay);
        }

        Hours = sorted.AsReadOnly();
        Holidays = Array.AsReadOnly(days);
        _holidaySet = [.. days];
    }

    /// <summary>The instants a calendar can answer for: 1950-01-01T00:00Z (included) to 2200-01-01T00:00Z (excluded).</summary>
    public static Interval SupportedRange { get; } = new(Instant.FromUtc(1950, 1, 1, 0, 0), Instant.FromUtc(2200, 1, 1, 0, 0));

    /// <summary>The zone the working hours and holidays are local to.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The working intervals as given, by day of the week (Monday first) and start time.</summary>
    public IReadOnlyList<WorkingHours> Hours { get; }

    /// <summary>The holidays, distinct and in date order.</summary>
    public IReadOnlyList<LocalDate> Holidays { get; }

    /// <summary>
    /// The business time that elapses from <paramref name="start"/> to <paramref name="end"/>: the parts of the interval
    /// that fall in working hours, not on a holiday. Zero when <paramref name="end"/> is not after <paramref name="start"/>.
    /// Additive: the time from a to c is the time from a to b plus the time from b to c.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An instant is outside <see cref="SupportedRange"/>.</exception>
    public Duration BusinessTimeBetween(Instant start, Instant end)
    {
        var a = Checked(start, nameof(start));
        var b = Checked(end, nameof(end));
        return b <= a ? Duration.Zero : Duration.FromNanoseconds(ElapsedAt(b, out _) - ElapsedAt(a, out _));
    }

    /// <summary>
    /// The first instant at which <paramref name="businessTime"/> of business time has elapsed since
    /// <paramref name="start"/>: a deadline. <paramref name="start"/> itself for zero. The result is always inside or at
    /// the end of a working interval (e.g. 17:00 on the day 8 business hours from 09:00 run out), never at the start of
    /// the next one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="businessTime"/> is negative, <paramref name="start"/> is outside <see cref="SupportedRange"/>, or
    /// the deadline would be after it.
    /// </exception>
    public Instant AddBusinessTime(Instant start, Duration businessTime)
    {
        var from = Checked(start, nameof(start));
        if (businessTime < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(businessTime), businessTime, "The business time to add must be zero or more.");
        }

        if (businessTime == Duration.Zero)
        {
            return start;
        }

        var elapsed = ElapsedAt(from, out var index);
        if (businessTime > MaxBusinessTime || elapsed > long.MaxValue - businessTime.ToInt64Nanoseconds())
        {
            throw new ArgumentOutOfRangeException(nameof(businessTime), $"The deadline would be after {SupportedRange.End}, the end of the range a business calendar answers for.");
        }

        return FromNanos(InstantAt(elapsed + businessTime.ToInt64Nanoseconds(), index, nameof(businessTime)));
    }

    /// <summary>Whether <paramref name="instant"/> falls in working time (inside a working interval, not on a holiday).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="instant"/> is outside <see cref="SupportedRange"/>.</exception>
    public bool IsWorkingTime(Instant instant)
    {
        var t = Checked(instant, nameof(instant));
        var cache = Cover(t);
        var j = cache.FirstEndingAfter(t);
        return j < cache.Count && cache.Starts[j] <= t;
    }

    /// <summary>
    /// <paramref name="instant"/> when it is working time, else the start of the next working interval: when the team
    /// will next be at work, e.g. to tell a customer when to expect an answer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="instant"/> is outside <see cref="SupportedRange"/>, or the next working time is after it.</exception>
    public Instant NextWorkingTime(Instant instant)
    {
        var t = Checked(instant, nameof(instant));
        var elapsed = ElapsedAt(t, out var index);
        var cache = Cover(t);
        var j = cache.FirstEndingAfter(t);
        if (j < cache.Count && cache.Starts[j] <= t)
        {
            return instant;
        }

        // The next working interval starts where the next nanosecond of business time does.
        var next = InstantAt(elapsed + 1, index, nameof(instant));
        return FromNanos(next - 1);
    }

    /// <summary>Nanoseconds since the Unix epoch; every supported instant fits.</summary>
    internal static long ToNanos(Instant instant) => (instant - NodaConstants.UnixEpoch).ToInt64Nanoseconds();

    internal static Instant FromNanos(long nanos) => NodaConstants.UnixEpoch + Duration.FromNanoseconds(nanos);

    /// <summary>Whether <paramref name="nanos"/> is in <see cref="SupportedRange"/>.</summary>
    internal static bool IsSupported(long nanos) => nanos >= MinNanos && nanos < MaxNanos;

    internal static bool IsSupported(Instant instant) => instant >= SupportedRange.Start && instant < SupportedRange.End;

    /// <summary>
    /// The business time (nanoseconds) elapsed from a fixed origin of this calendar to <paramref name="t"/>; only
    /// differences mean anything. <paramref name="index"/> is a hint for <see cref="InstantAt"/>.
    /// </summary>
    internal long ElapsedAt(long t, out int index)
    {
        var cache = Cover(t);
        var j = cache.FirstEndingAfter(t);
        index = j;
        return j < cache.Count && cache.Starts[j] < t ? cache.Cumulative[j] + (t - cache.Starts[j]) : cache.Cumulative[j];
    }

    /// <summary>
    /// The first instant (nanoseconds) at which <see cref="ElapsedAt"/> reaches <paramref name="elapsed"/>, which must be
    /// more than the elapsed business time at the instant that gave <paramref name="hint"/>.
    /// </summary>
    internal long InstantAt(long elapsed, int hint, string parameterName)
    {
        var cache = _cache!;
        while (elapsed > cache.Cumulative[cache.Count])
        {
            cache = GrowForward(cache, parameterName);
            hint = 0;
        }

        // Exponential then binary search for the first interval i with Cumulative[i + 1] >= elapsed.
        var cumulative = cache.Cumulative;
        var lo = Math.Min(Math.Max(hint, 0), cache.Count - 1);
        if (cumulative[lo] >= elapsed)
        {
            lo = 0;
        }

        var step = 1;
        var hi = lo;
        while (hi < cache.Count - 1 && cumulative[hi + 1] < elapsed)
        {
            lo = hi + 1;
            hi = Math.Min(hi + step, cache.Count - 1);
            step <<= 1;
        }

        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (cumulative[mid + 1] >= elapsed)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        var result = cache.Starts[lo] + (elapsed - cumulative[lo]);
        return result < MaxNanos
            ? result
            : throw new ArgumentOutOfRangeException(parameterName, $"The deadline would be after {SupportedRange.End}, the end of the range a business calendar answers for.");
    }

    private static long Checked(Instant instant, string parameterName)
        => IsSupported(instant)
            ? ToNanos(instant)
            : throw new ArgumentOutOfRangeException(parameterName, instant, $"A business calendar answers for instants from {SupportedRange.Start} to {SupportedRange.End}.");

    private static WorkingHours[] Merge(WorkingHours[] ofDay)
    {
        var merged = new List<WorkingHours>(ofDay.Length);
        foreach (var hours in ofDay)
        {
            if (merged.Count > 0 && !merged[^1].EndsAtMidnight && merged[^1].End == hours.Start)
            {
                merged[^1] = new WorkingHours(hours.Day, merged[^1].Start, hours.End);
            }
            else
            {
                merged.Add(hours);
            }
        }

        return [.. merged];
    }

    private DayCache Cover(long t)
    {
        var cache = _cache;
        return cache is not null && t >= cache.CoverStart && t < cache.CoverEnd ? cache : Grow(t);
    }

    private DayCache Grow(long t)
    {
        lock (_growth)
        {
            var cache = _cache;
            if (cache is not null && t >= cache.CoverStart && t < cache.CoverEnd)
            {
                return cache;
            }

            var date = FromNanos(t).InZone(Zone).Date;
            LocalDate from, to;
            if (cache is null)
            {
                (from, to) = (date.PlusDays(-400), date.PlusDays(400));
            }
            else
            {
                var span = Period.DaysBetween(cache.From, cache.To);
                from = t < cache.CoverStart ? Min(date, cache.From.PlusDays(-span)).PlusDays(-30) : cache.From;
                to = t >= cache.CoverEnd ? Max(date, cache.To.PlusDays(span)).PlusDays(30) : cache.To;
            }

            return Publish(Build(Max(from, FirstCachedDate), Min(to, LastCachedDate), cache));
        }
    }

    private DayCache GrowForward(DayCache seen, string parameterName)
    {
        lock (_growth)
        {
            var cache = _cache!;
            if (cache.To > seen.To)
            {
                return cache;
            }

            if (cache.To >= LastCachedDate)
            {
                throw new ArgumentOutOfRangeException(parameterName, $"The deadline would be after {SupportedRange.End}, the end of the range a business calendar answers for.");
            }

            var span = Period.DaysBetween(cache.From, cache.To);
            return Publish(Build(cache.From, Min(cache.To.PlusDays(Math.Max(span, 400)), LastCachedDate), cache));
        }
    }

    private DayCache Publish(DayCache cache)
    {
        _cache = cache;
        return cache;
    }

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;

    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;

    private long Map(LocalDate date, LocalTime time) => ToNanos(Zone.ResolveLocal(date.At(time), Resolver).ToInstant());

    /// <summary>Builds the cache for local dates [from, to), keeping the elapsed origin of <paramref name="previous"/>.</summary>
    private DayCache Build(LocalDate from, LocalDate to, DayCache? previous)
    {
        var starts = new List<long>();
        var ends = new List<long>();
        for (var date = from; date < to; date = date.PlusDays(1))
        {
            if (_holidaySet.Contains(date))
            {
                continue;
            }

            foreach (var hours in _byDay[(int)date.DayOfWeek])
            {
                var start = Map(date, hours.Start);
                var end = hours.EndsAtMidnight ? Map(date.PlusDays(1), LocalTime.Midnight) : Map(date, hours.End);
                if (end > start)
                {
                    starts.Add(start);
                    ends.Add(end);
                }
            }
        }

        var count = starts.Count;
        var cumulative = new long[count + 1];
        for (var i = 0; i < count; i++)
        {
            cumulative[i + 1] = cumulative[i] + (ends[i] - starts[i]);
        }

        var coverStart = Map(from, LocalTime.Midnight);
        var coverEnd = Map(to, LocalTime.Midnight);
        var built = new DayCache(from, to, coverStart, coverEnd, [.. starts], [.. ends], cumulative);
        if (previous is not null)
        {
            // Keep the origin: the elapsed value at the old cache's start must not move, so values read before the
            // growth still compare with values read after it.
            var shift = previous.RawElapsedAt(previous.CoverStart) - built.RawElapsedAt(previous.CoverStart);
            for (var i = 0; i <= count; i++)
            {
                cumulative[i] += shift;
            }
        }

        return built;
    }

    /// <summary>
    /// The working intervals of a range of local dates as instants (nanoseconds), with the business time elapsed before
    /// each, and for each UTC day of the range the first interval ending after the day's start. Immutable.
    /// </summary>
    private sealed class DayCache
    {
        public DayCache(LocalDate from, LocalDate to, long coverStart, long coverEnd, long[] starts, long[] ends, long[] cumulative)
        {
            From = from;
            To = to;
            CoverStart = coverStart;
            CoverEnd = coverEnd;
            Starts = starts;
            Ends = ends;
            Cumulative = cumulative;
            Count = starts.Length;
            BaseDay = Math.DivRem(coverStart, NanosPerDay, out var rem) * NanosPerDay - (rem < 0 ? NanosPerDay : 0);
            var days = (int)((coverEnd - BaseDay) / NanosPerDay) + 2;
            DayFirst = new int[days];
            var j = 0;
            for (var k = 0; k < days; k++)
            {
                var dayStart = BaseDay + (k * NanosPerDay);
                while (j < Count && ends[j] <= dayStart)
                {
                    j++;
                }

                DayFirst[k] = j;
            }
        }

        public LocalDate From { get; }

        public LocalDate To { get; }

        public long CoverStart { get; }

        public long CoverEnd { get; }

        public long[] Starts { get; }

        public long[] Ends { get; }

        public long[] Cumulative { get; }

        public int Count { get; }

        private long BaseDay { get; }

        private int[] DayFirst { get; }

        /// <summary>The first interval that ends after <paramref name="t"/> (or <see cref="Count"/>); t must be covered.</summary>
        public int FirstEndingAfter(long t)
        {
            var j = DayFirst[(int)((t - BaseDay) / NanosPerDay)];
            var ends = Ends;
            while (j < ends.Length && ends[j] <= t)
            {
                j++;
            }

            return j;
        }

        public long RawElapsedAt(long t)
        {
            var j = FirstEndingAfter(t);
            return j < Count && Starts[j] < t ? Cumulative[j] + (t - Starts[j]) : Cumulative[j];
        }
    }
}
