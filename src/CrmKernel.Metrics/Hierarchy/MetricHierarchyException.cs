
using CrmKernel.Diagnostics;

namespace CrmKernel.Metrics.Hierarchy;

/// <summary>
/// Thrown when a metric hierarchy is not a valid graph: a cycle (<c>CRM-METRIC-001</c>), a link, identity or target
/// naming an unknown metric (<c>CRM-METRIC-002</c>), a link pointing down a level (<c>CRM-METRIC-003</c>), or a
/// duplicate metric id or link (<c>CRM-METRIC-004</c>). The message names the metrics involved.
/// </summary>
public sealed class MetricHierarchyException : CrmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">One of the <c>CRM-METRIC-*</c> codes of <see cref="CrmErrorCodes"/>.</param>
    /// <param name="message">What is wrong, naming the metric ids.</param>
    /// <param name="metrics">The metric ids involved, as text.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MetricHierarchyException(string errorCode, string message, IReadOnlyList<string> metrics)
        : base(errorCode, message)
    {
        Metrics = [.. Preconditions.NotNull(metrics)];
    }

    /// <summary>The metric ids involved, e.g. the metrics on a cycle in order.</summary>
    public IReadOnlyList<string> Metrics { get; }
}
