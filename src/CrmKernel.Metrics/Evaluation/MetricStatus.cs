namespace CrmKernel.Metrics.Evaluation;

/// <summary>How a metric's value stands against its target.</summary>
public enum MetricStatus
{
    /// <summary>No target was set, or there is no value to compare.</summary>
    NotAssessed = 0,

    /// <summary>At or better than the target.</summary>
    OnTrack = 1,

    /// <summary>Worse than the target but not beyond the at-risk limit.</summary>
    AtRisk = 2,

    /// <summary>Beyond the at-risk limit.</summary>
    OffTrack = 3,
}
