namespace CrmKernel.Metrics.Definitions;

/// <summary>Which way a metric's value should move.</summary>
public enum BetterDirection
{
    /// <summary>More is better (retention, NPS, revenue).</summary>
    HigherIsBetter = 1,

    /// <summary>Less is better (churn, CAC, CES 2010 effort, cost to serve).</summary>
    LowerIsBetter = 2,
}
