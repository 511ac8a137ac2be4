using NodaTime;
using NodaTime.Text;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// Instants as text columns (<c>COLLATE "C"</c>): UTC ISO-8601 with a fixed-width year and exactly nine fractional
/// digits, so they are exact to the nanosecond (PostgreSQL's <c>timestamptz</c> keeps microseconds) and byte order is
/// time order for the years 0000-9999, which the timeline index relies on. The same form the SQLite sample writes.
/// </summary>
internal static class InstantText
{
    private static readonly InstantPattern WritePattern =
        InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffff'Z'");

    /// <summary>The first instant whose text sorts in time order (years before 0 are written with a minus sign).</summary>
    public static readonly Instant Earliest = Instant.FromUtc(0, 1, 1, 0, 0);

    /// <summary>Sorts after the text of every instant: the open end of a period.</summary>
    public const string AfterEvery = "~";

    public static string Of(Instant instant) => WritePattern.Format(instant);

    /// <summary>
    /// Parses the store's own form only (any other form would sort out of time order): exactly 30 characters,
    /// <c>yyyy-MM-ddTHH:mm:ss.fffffffffZ</c>, a valid ISO date and time. Hand-written rather than a NodaTime pattern because
    /// every scanned row parses one: it allocates nothing and checks each character once.
    /// </summary>
    public static bool TryParse(string text, out Instant instant)
    {
        instant = default;
        if (text is not { Length: 30 } || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[29] != 'Z'
            || !Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second)
            || !Digits(text, 20, 9, out var nanoseconds))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        instant = Instant.FromUtc(year, month, day, hour, minute, second).PlusNanoseconds(nanoseconds);
        return true;
    }

    private static bool Digits(string text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
