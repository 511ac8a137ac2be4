using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Definitions;

/// <summary>One row of a metric's breakdown, e.g. the cost per contact of one channel.</summary>
public sealed class MetricBreakdownRow
{
    /// <summary>Creates a row.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MetricBreakdownRow(string key, MetricValue value)
    {
        Key = Preconditions.NotNull(key);
        Value = Preconditions.NotNull(value);
    }

    /// <summary>What the row is for (a channel id).</summary>
    public string Key { get; }

    /// <summary>The row's value.</summary>
    public MetricValue Value { get; }
}
