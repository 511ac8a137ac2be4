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

    /// <summary>Parses the store's own form only: any other form would sort out of time order.</summary>
    public static bool TryParse(string text, out Instant instant)
    {
        var result = WritePattern.Parse(text);
        instant = result.Success ? result.Value : default;
        return result.Success;
    }
}
