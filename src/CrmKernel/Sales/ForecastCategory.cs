namespace CrmKernel.Sales;

/// <summary>
/// The forecast bucket a deal counts in, as sales managers call a forecast: use it to sum the deals a team expects to
/// close in a period. Open stages declare <see cref="Pipeline"/>, <see cref="BestCase"/> or <see cref="Commit"/>; a won
/// deal is <see cref="Closed"/> and a lost one <see cref="Omitted"/>.
/// </summary>
public enum ForecastCategory
{
    /// <summary>Early deals: qualified, not yet likely.</summary>
    Pipeline = 1,

    /// <summary>Deals that could close in the period if things go well.</summary>
    BestCase = 2,

    /// <summary>Deals the owner commits to closing in the period.</summary>
    Commit = 3,

    /// <summary>Won deals (booked revenue).</summary>
    Closed = 4,

    /// <summary>Lost deals, left out of every forecast.</summary>
    Omitted = 5,
}
