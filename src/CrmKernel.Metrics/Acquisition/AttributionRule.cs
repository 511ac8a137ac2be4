namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// How a conversion's credit is split over the communications of the journey before it — part of the definition of
/// every per-channel acquisition figure, so a report states the rule it used (<see cref="AcquisitionRequest.Attribution"/>).
/// <see cref="Attribution.Weights"/> gives the weights; they always sum to exactly 1 per journey.
/// </summary>
public enum AttributionRule
{
    /// <summary>The journey's first communication takes all the credit (what opened the relationship).</summary>
    FirstTouch = 1,

    /// <summary>The journey's last communication before the first purchase takes all the credit (what closed it).</summary>
    LastTouch = 2,

    /// <summary>Every communication takes an equal share.</summary>
    Linear = 3,

    /// <summary>
    /// Position-based (U-shaped) 40/20/40: the first and the last communication take 40 % each and the ones between share
    /// 20 %; one communication takes 100 %, two take 50 % each.
    /// </summary>
    PositionBased = 4,
}
