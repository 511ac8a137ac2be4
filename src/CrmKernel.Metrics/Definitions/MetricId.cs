using System.Diagnostics.CodeAnalysis;
using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Definitions;

/// <summary>
/// The stable id of a metric, e.g. <c>customer-retention-rate</c>: what driver links, targets, reports and JSON name a
/// metric by. Use the catalogue's ids (<see cref="Catalogue.StandardMetrics"/>) or your own for host-defined metrics.
/// </summary>
/// <remarks>1–64 characters from <c>a–z 0–9 -</c>, starting with a letter; trimmed and lower-cased.</remarks>
public readonly record struct MetricId : IComparable<MetricId>
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates an id, normalising its text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is not a valid metric id.</exception>
    /// <exception cref="InputLimitExceededException">The text is longer than <see cref="MaxLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public MetricId(string value)
    {
        Preconditions.NotNull(value);
        Preconditions.MaxLength(value.Trim(), MaxLength, nameof(value));
        Value = Normalize(value) ?? throw new ArgumentException($"A metric id is 1 to {MaxLength} characters from a–z 0–9 -, starting with a letter.", nameof(value));
    }

    /// <summary>The normalised id; null only for <c>default(MetricId)</c>, which no method accepts.</summary>
    public string Value { get; }

    /// <summary>Tries to read an id; false when the text is not one.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out MetricId id)
    {
        id = text is not null && Normalize(text) is not null ? new MetricId(text) : default;
        return id != default;
    }

    /// <summary>Orders ids ordinally.</summary>
    public int CompareTo(MetricId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The id.</summary>
    public override string ToString() => Value ?? string.Empty;

    private static string? Normalize(string text)
    {
#pragma warning disable CA1308 // Ids are identifiers; lower case is their canonical form.
        var normalized = text.Trim().ToLowerInvariant();
#pragma warning restore CA1308
        return normalized.Length is > 0 and <= MaxLength && char.IsAsciiLetterLower(normalized[0])
               && normalized.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? normalized
            : null;
    }
}
