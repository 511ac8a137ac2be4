namespace CrmKernel.Metrics.CustomerBase;

/// <summary>
/// The unit in which a <see cref="CustomerBaseSummary"/> measures recency, customer age and horizons, and in which the
/// fitted models' rate parameters are expressed. Use <see cref="Weeks"/> to compare with the published literature
/// (the CDNOW analyses are in weeks); use <see cref="Days"/> for short calibration periods.
/// </summary>
/// <remarks>The numeric value of each member is its length in days.</remarks>
public enum SummaryTimeUnit
{
    /// <summary>One calendar day.</summary>
    Days = 1,

    /// <summary>Seven calendar days.</summary>
    Weeks = 7,
}
