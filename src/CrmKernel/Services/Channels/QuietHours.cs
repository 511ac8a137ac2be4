using CrmKernel.Diagnostics;
using NodaTime;
using NodaTime.TimeZones;

namespace CrmKernel.Services.Channels;

/// <summary>
/// A daily window of local time in which customers are not contacted, e.g. 21:00 to 08:00. It is read in the
/// customer's own time zone, so it follows daylight-saving changes; a window whose start is after its end crosses
/// midnight.
/// </summary>
public sealed class QuietHours
{
    /// <summary>An end in a daylight-saving gap is the gap's end; an end that occurs twice is its first occurrence.</summary>
    private static readonly ZoneLocalMappingResolver EndResolver = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    /// <summary>Creates a window from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    /// <param name="start">When quiet hours begin, local time.</param>
    /// <param name="end">When they end, local time.</param>
    /// <exception cref="ArgumentException">The start equals the end.</exception>
    public QuietHours(LocalTime start, LocalTime end)
    {
        Preconditions.Check(start != end, "Quiet hours must start and end at different times.", nameof(end));
        Start = start;
        End = end;
    }

    /// <summary>When quiet hours begin (inclusive), local time.</summary>
    public LocalTime Start { get; }

    /// <summary>When quiet hours end (exclusive), local time.</summary>
    public LocalTime End { get; }

    /// <summary>True when <paramref name="time"/> falls in the window.</summary>
    /// <param name="time">A local time of day.</param>
    /// <returns>Whether it is quiet then.</returns>
    public bool Contains(LocalTime time) => Start < End ? time >= Start && time < End : time >= Start || time < End;

    /// <summary>True when it is quiet in <paramref name="zone"/> at <paramref name="instant"/>.</summary>
    /// <param name="instant">The instant.</param>
    /// <param name="zone">The customer's time zone.</param>
    /// <returns>Whether it is quiet there then.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is null.</exception>
    public bool IsQuietAt(Instant instant, DateTimeZone zone)
    {
        Preconditions.NotNull(zone);
        return Contains(instant.InZone(zone).TimeOfDay);
    }

    /// <summary>
    /// The first instant at or after <paramref name="instant"/> that is outside quiet hours in <paramref name="zone"/>:
    /// <paramref name="instant"/> itself when it is not quiet. An end that falls in a daylight-saving gap is the
    /// first instant after the gap, unless the whole allowed window fell in the gap: then it is the end on the next day;
    /// an end that occurs twice (clocks going back) is its first occurrence, or its second when the first is already past.
    /// </summary>
    /// <param name="instant">The instant.</param>
    /// <param name="zone">The customer's time zone.</param>
    /// <returns>When contact may resume.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is null.</exception>
    public Instant NextAllowed(Instant instant, DateTimeZone zone)
    {
        Preconditions.NotNull(zone);
        var local = instant.InZone(zone).LocalDateTime;
        if (!Contains(local.TimeOfDay))
        {
            return instant;
        }

        // The end on the day it next comes. A day whose whole allowed window falls in a daylight-saving gap has no allowed
        // time (the first instant after the gap is quiet again): then the end of the next day is the answer. An end that
        // occurs twice whose first occurrence is already past (the instant is in the repeated hour) is its second. Gaps are
        // never on consecutive days, so a third day is never needed; the loop is bounded all the same.
        var date = local.TimeOfDay < End ? local.Date : local.Date.PlusDays(1);
        for (var day = 0; ; day++, date = date.PlusDays(1))
        {
            var mapping = zone.MapLocal(date.At(End));
            var end = EndResolver(mapping).ToInstant();
            if ((end >= instant && !IsQuietAt(end, zone)) || day == 2)
            {
                return end;
            }

            if (mapping.Count == 2 && mapping.Last().ToInstant() is var second && second >= instant && !IsQuietAt(second, zone))
            {
                return second;
            }
        }
    }

    /// <summary>The window as <c>HH:mm–HH:mm</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Start:HH':'mm}-{End:HH':'mm}";
}
