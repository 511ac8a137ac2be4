using CrmKernel.Diagnostics;
using NodaTime;

namespace CrmKernel.Calendars;

/// <summary>
/// One working interval of a <see cref="BusinessCalendar"/> on one day of the week, in local wall-clock time: from
/// <see cref="Start"/> (included) to <see cref="End"/> (excluded). An <see cref="End"/> of <see cref="LocalTime.Midnight"/>
/// means 24:00, the midnight that ends the day, so <c>00:00–00:00</c> is the whole day. Give a day several intervals for
/// a lunch break (09:00–12:00 and 13:00–17:00).
/// </summary>
public sealed class WorkingHours : IEquatable<WorkingHours>
{
    /// <summary>Creates a working interval.</summary>
    /// <param name="day">The day of the week (not <see cref="IsoDayOfWeek.None"/>).</param>
    /// <param name="start">The first working moment, local time.</param>
    /// <param name="end">The end (excluded), local time, after <paramref name="start"/>; <see cref="LocalTime.Midnight"/> means 24:00.</param>
    /// <exception cref="ArgumentException">The day is not a day of the week, or the end is not after the start.</exception>
    public WorkingHours(IsoDayOfWeek day, LocalTime start, LocalTime end)
    {
        Preconditions.Check(day is >= IsoDayOfWeek.Monday and <= IsoDayOfWeek.Sunday, "The day must be Monday to Sunday.", nameof(day));
        Preconditions.Check(end == LocalTime.Midnight || end > start, "A working interval ends after it starts (00:00 as the end means 24:00).", nameof(end));
        Day = day;
        Start = start;
        End = end;
    }

    /// <summary>The day of the week.</summary>
    public IsoDayOfWeek Day { get; }

    /// <summary>The first working moment, local time.</summary>
    public LocalTime Start { get; }

    /// <summary>The end (excluded), local time; <see cref="LocalTime.Midnight"/> means 24:00, the end of the day.</summary>
    public LocalTime End { get; }

    /// <summary>Whether the interval runs to the end of the day (its <see cref="End"/> is 24:00).</summary>
    public bool EndsAtMidnight => End == LocalTime.Midnight;

    /// <summary>
    /// The same hours on Monday to Friday, the usual office week: e.g. <c>WorkingHours.MondayToFriday(new LocalTime(9, 0), new LocalTime(17, 0))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The end is not after the start.</exception>
    public static IReadOnlyList<WorkingHours> MondayToFriday(LocalTime start, LocalTime end)
        => [.. Enumerable.Range((int)IsoDayOfWeek.Monday, 5).Select(d => new WorkingHours((IsoDayOfWeek)d, start, end))];

    /// <summary>All day, every day (24×7): what an SLA counted in elapsed time uses.</summary>
    public static IReadOnlyList<WorkingHours> AllDay()
        => [.. Enumerable.Range((int)IsoDayOfWeek.Monday, 7).Select(d => new WorkingHours((IsoDayOfWeek)d, LocalTime.Midnight, LocalTime.Midnight))];

    /// <inheritdoc />
    public bool Equals(WorkingHours? other) => other is not null && Day == other.Day && Start == other.Start && End == other.End;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WorkingHours);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Day, Start, End);

    /// <summary>E.g. <c>Monday 09:00-17:00</c>; an interval to the end of the day shows <c>24:00</c>.</summary>
    public override string ToString() => $"{Day} {Format(Start)}-{(EndsAtMidnight ? "24:00" : Format(End))}";

    private static string Format(LocalTime time)
        => time.ToString(time.Second == 0 && time.NanosecondOfSecond == 0 ? "HH:mm" : "HH:mm:ss.FFFFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
}
