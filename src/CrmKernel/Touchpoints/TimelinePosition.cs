using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Touchpoints;

/// <summary>
/// A place on a timeline: the instant a touchpoint occurred, ties broken by its id, so the order is total and
/// stable. Timelines are paged with it as a keyset cursor.
/// </summary>
/// <param name="OccurredAt">When the touchpoint occurred.</param>
/// <param name="Id">The touchpoint's id.</param>
public readonly record struct TimelinePosition(Instant OccurredAt, TouchpointId Id) : IComparable<TimelinePosition>
{
    /// <summary>Orders by occurred-at, then id.</summary>
    public int CompareTo(TimelinePosition other)
    {
        var byTime = OccurredAt.CompareTo(other.OccurredAt);
        return byTime != 0 ? byTime : Id.CompareTo(other.Id);
    }

    /// <summary>True when <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(TimelinePosition left, TimelinePosition right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(TimelinePosition left, TimelinePosition right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> comes before or is <paramref name="right"/>.</summary>
    public static bool operator <=(TimelinePosition left, TimelinePosition right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> comes after or is <paramref name="right"/>.</summary>
    public static bool operator >=(TimelinePosition left, TimelinePosition right) => left.CompareTo(right) >= 0;
}
