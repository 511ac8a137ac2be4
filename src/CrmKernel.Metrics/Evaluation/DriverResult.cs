using CrmKernel.Metrics.Hierarchy;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>A driver of a metric: the link and the driver's own result.</summary>
public sealed class DriverResult
{
    internal DriverResult(DriverLink link, MetricResult result)
    {
        Link = link;
        Result = result;
    }

    /// <summary>The driver link (identity or hypothesised cause).</summary>
    public DriverLink Link { get; }

    /// <summary>The driver's result.</summary>
    public MetricResult Result { get; }
}
