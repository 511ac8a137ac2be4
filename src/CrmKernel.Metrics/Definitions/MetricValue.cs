using System.Globalization;
using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Definitions;

/// <summary>
/// What a formula gave for one period: a value with the numerator and denominator it was divided from, or "no value"
/// with the reason (no customers at risk, no survey answers, a figure not supplied). Never NaN, never a thrown
/// divide-by-zero: an empty denominator is a <see cref="None"/> that says which denominator was empty.
/// </summary>
public sealed class MetricValue
{
    /// <summary>The most characters of a no-value reason and of a ratio's denominator name.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The most rows of one breakdown.</summary>
    public const int MaxBreakdownRows = 1000;

    private MetricValue(decimal? value, string? reason, decimal? numerator, decimal? denominator, IReadOnlyList<MetricBreakdownRow> breakdown)
    {
        Value = value;
        Reason = reason;
        Numerator = numerator;
        Denominator = denominator;
        Breakdown = breakdown;
    }

    /// <summary>True when there is a value.</summary>
    public bool HasValue => Value.HasValue;

    /// <summary>The value, or null when there is none (see <see cref="Reason"/>). Percentages are fractions (0.9 is 90 %).</summary>
    public decimal? Value { get; }

    /// <summary>Why there is no value; null when there is one (or, for a flagged value, a warning).</summary>
    public string? Reason { get; }

    /// <summary>The numerator of a ratio, when the value is one.</summary>
    public decimal? Numerator { get; }

    /// <summary>The denominator of a ratio, when the value is one.</summary>
    public decimal? Denominator { get; }

    /// <summary>The value broken down (e.g. by channel); empty when the metric has no breakdown.</summary>
    public IReadOnlyList<MetricBreakdownRow> Breakdown { get; }

    /// <summary>A value that is not a ratio (a count, a sum, a score).</summary>
    public static MetricValue Of(decimal value) => new(value, null, null, null, []);

    /// <summary>A value computed as <paramref name="numerator"/> ÷ <paramref name="denominator"/> by the caller, keeping both for the explanation.</summary>
    public static MetricValue Of(decimal value, decimal numerator, decimal denominator) => new(value, null, numerator, denominator, []);

    /// <summary>No value, with the reason.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is blank.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="reason"/> is longer than <see cref="MaxReasonLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static MetricValue None(string reason)
    {
        Preconditions.NotNull(reason);
        Preconditions.MaxLength(reason, MaxReasonLength);
        Preconditions.Check(!string.IsNullOrWhiteSpace(reason), "Say why there is no value.", nameof(reason));
        return new MetricValue(null, reason, null, null, []);
    }

    /// <summary>
    /// <paramref name="numerator"/> ÷ <paramref name="denominator"/> times <paramref name="scale"/>, or no value naming
    /// the empty denominator when it is zero.
    /// </summary>
    /// <param name="numerator">The numerator.</param>
    /// <param name="denominator">The denominator.</param>
    /// <param name="denominatorName">What the denominator counts, for the reason (e.g. "customers at risk").</param>
    /// <param name="scale">A factor applied to the quotient (100 for a score in points); 1 by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="denominatorName"/> is null.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="denominatorName"/> is longer than <see cref="MaxReasonLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static MetricValue Ratio(decimal numerator, decimal denominator, string denominatorName, decimal scale = 1m)
    {
        Preconditions.NotNull(denominatorName);
        Preconditions.MaxLength(denominatorName, MaxReasonLength);
        return denominator == 0m
            ? new MetricValue(null, $"no {denominatorName} in the period", numerator, denominator, [])
            : new MetricValue(scale * numerator / denominator, null, numerator, denominator, []);
    }

    /// <summary>This value with a breakdown attached.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxBreakdownRows"/> rows (<c>CRM-INPUT-001</c>).</exception>
    public MetricValue WithBreakdown(IReadOnlyList<MetricBreakdownRow> rows)
    {
        Preconditions.NotNull(rows);
        Preconditions.MaxCount(rows.Count, MaxBreakdownRows, "rows", nameof(rows));
        return new MetricValue(Value, Reason, Numerator, Denominator, [.. rows]);
    }

    /// <summary>The value in invariant form, or <c>no value (reason)</c>.</summary>
    public override string ToString() => Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : $"no value ({Reason})";
}
