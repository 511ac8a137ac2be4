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
