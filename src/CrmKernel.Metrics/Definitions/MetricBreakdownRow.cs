using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Definitions;

/// <summary>One row of a metric's breakdown, e.g. the cost per contact of one channel.</summary>
public sealed class MetricBreakdownRow
{
    /// <summary>The most characters of a row's key.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>Creates a row.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InputLimitExceededException"><paramref name="key"/> is longer than <see cref="MaxKeyLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public MetricBreakdownRow(string key, MetricValue value)
    {
        Key = Preconditions.MaxLength(Preconditions.NotNull(key), MaxKeyLength, nameof(key));
        Value = Preconditions.NotNull(value);
    }

    /// <summary>What the row is for (a channel id).</summary>
    public string Key { get; }

    /// <summary>The row's value.</summary>
    public MetricValue Value { get; }
}
