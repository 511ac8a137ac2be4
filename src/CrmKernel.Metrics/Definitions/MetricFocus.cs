namespace CrmKernel.Metrics.Definitions;

/// <summary>Whether a metric looks inward at the enterprise's own processes and assets, or outward at customers and results.</summary>
public enum MetricFocus
{
    /// <summary>The enterprise's own processes, data, systems and people.</summary>
    Internal = 1,

    /// <summary>Customers' behaviour and perception, and the firm's results.</summary>
    External = 2,
}
