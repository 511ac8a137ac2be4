namespace CrmKernel.Metrics.Definitions;

/// <summary>
/// The four levels of the CRM metric hierarchy (Gartner's metric building block; the balanced scorecard's
/// cause-and-effect chain), lowest first. Driver links run from a level to the same or a higher one.
/// </summary>
public enum MetricLevel
{
    /// <summary>Do we have the data, systems and people? Internal, the earliest indicators (data completeness, availability).</summary>
    InfrastructureInput = 1,

    /// <summary>Are customer-facing processes working? Internal, leading (FCR, AHT, AOV, funnel conversion).</summary>
    OperationalProcess = 2,

    /// <summary>Are we acquiring, keeping and growing the right customers? External (retention, CLV, NPS, CSAT).</summary>
    CustomerStrategic = 3,

    /// <summary>Is CRM creating value for the firm? External, lagging (revenue, profit, customer equity).</summary>
    Corporate = 4,
}

/// <summary>Whether a metric looks inward at the enterprise's own processes and assets, or outward at customers and results.</summary>
public enum MetricFocus
{
    /// <summary>The enterprise's own processes, data, systems and people.</summary>
    Internal = 1,

    /// <summary>Customers' behaviour and perception, and the firm's results.</summary>
    External = 2,
}

/// <summary>What a metric's value measures, which decides how it is shown.</summary>
public enum MetricUnit
{
    /// <summary>A plain ratio, e.g. purchase frequency (orders per customer).</summary>
    Ratio = 1,

    /// <summary>A share held as a fraction 0–1 and shown as a percentage (retention 0.9 is 90 %).</summary>
    Percentage = 2,

    /// <summary>An amount in the reporting currency.</summary>
    Money = 3,

    /// <summary>A number of things (customers, complaints).</summary>
    Count = 4,

    /// <summary>A length of time in seconds.</summary>
    Duration = 5,

    /// <summary>A score on a survey scale (NPS −100..100, CES 1–5 or 1–7).</summary>
    Score = 6,
}

/// <summary>Which way a metric's value should move.</summary>
public enum BetterDirection
{
    /// <summary>More is better (retention, NPS, revenue).</summary>
    HigherIsBetter = 1,

    /// <summary>Less is better (churn, CAC, CES 2010 effort, cost to serve).</summary>
    LowerIsBetter = 2,
}
