using CrmKernel.Calendars;
using NodaTime;
using NodaTime.TimeZones;

namespace CrmKernel.Tests.Calendars;

/// <summary>
/// The day-by-day walk a user would write, from the calendar's public description only: map each day's working
/// intervals to instants (gap times to the instant after the gap, ambiguous times to the earlier instant) and clip them.
/// The cached calendar must agree with it everywhere.
/// </summary>
internal static class ReferenceCalendar
{
    private static readonly ZoneLocalMappingResolver Resolver = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    /// <summary>The working intervals as instants, day after day from the day before <paramref name="from"/>'s local date, in order, without end.</summary>
    public static IEnumerable<(Instant Start, Instant End)> Intervals(BusinessCalendar calendar, Instant from)
    {
        var zone = calendar.Zone;
        var holidays = calendar.Holidays.ToHashSet();
        for (var date = from.InZone(zone).Date.PlusDays(-1); ; date = date.PlusDays(1))
        {
            if (holidays.Contains(date))
            {
                continue;
            }

            foreach (var hours in calendar.Hours.Where(h => h.Day == date.DayOfWeek).OrderBy(h => h.Start))
            {
                var start = zone.ResolveLocal(date.At(hours.Start), Resolver).ToInstant();
                var end = hours.EndsAtMidnight
                    ? zone.ResolveLocal(date.PlusDays(1).AtMidnight(), Resolver).ToInstant()
                    : zone.ResolveLocal(date.At(hours.End), Resolver).ToInstant();
                if (end > start)
                {
                    yield return (start, end);
                }
            }
        }
    }

    public static Duration Between(BusinessCalendar calendar, Instant a, Instant b)
    {
        var total = Duration.Zero;
        if (b <= a)
        {
            return total;
        }

        foreach (var (start, end) in Intervals(calendar, a).TakeWhile(i => i.Start < b))
        {
            var lo = start > a ? start : a;
            var hi = end < b ? end : b;
            if (hi > lo)
            {
                total += hi - lo;
            }
        }

        return total;
    }

    public static Instant Add(BusinessCalendar calendar, Instant start, Duration businessTime)
    {
        if (businessTime == Duration.Zero)
        {
            return start;
        }

        var remaining = businessTime;
        foreach (var (s, e) in Intervals(calendar, start))
        {
            var lo = s > start ? s : start;
            if (e <= lo)
            {
                continue;
            }

            if (remaining <= e - lo)
            {
                return lo + remaining;
            }

            remaining -= e - lo;
        }

        throw new InvalidOperationException("unreachable: the walk has no end");
    }

    public static bool IsWorkingTime(BusinessCalendar calendar, Instant t)
        => Intervals(calendar, t).TakeWhile(i => i.Start <= t).Any(i => i.End > t);
}
