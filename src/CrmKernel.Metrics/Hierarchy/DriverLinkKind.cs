namespace CrmKernel.Metrics.Hierarchy;

/// <summary>What a driver link claims.</summary>
public enum DriverLinkKind
{
    /// <summary>The driven metric is an exact function of its drivers (a <see cref="MetricIdentity"/>), checked on every evaluation.</summary>
    Identity = 1,

    /// <summary>The driver is believed to move the driven metric (e.g. FCR → CSAT); shown, never checked.</summary>
    HypothesisedCause = 2,
}
