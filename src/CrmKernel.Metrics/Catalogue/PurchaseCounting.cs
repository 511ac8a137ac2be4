namespace CrmKernel.Metrics.Catalogue;

/// <summary>
/// What a metric that counts purchases counts: each recorded order, or purchase occasions — all of a customer's orders
/// on one day merged into one. Choose <see cref="EachOrder"/> for operational figures about orders (fulfilment,
/// basket size per checkout); choose <see cref="SameDayOccasion"/> to compare with customer-base analysis (BG/NBD,
/// Pareto/NBD, RFM), which merges same-day purchases, or when one visit is often split into several orders. Each
/// order-counting metric of <see cref="StandardMetrics"/> exists under both conventions (e.g.
/// <see cref="StandardMetrics.RepeatPurchaseRateBy"/>).
/// </summary>
/// <remarks>
/// Days are those of the reporting zone of the evaluation. On the CDNOW calibration period (1997-01-01 to 1997-09-30,
/// 2,357 customers) the repeat purchase rate is 959 / 2,357 counting each order and 946 / 2,357 counting occasions:
/// thirteen customers' only "repeat" was a second order on the day of their first.
/// </remarks>
public enum PurchaseCounting
{
    /// <summary>Every purchase touchpoint is one order (the catalogue's default).</summary>
    EachOrder = 0,

    /// <summary>A customer's purchases on one day in the reporting zone are one purchase occasion.</summary>
    SameDayOccasion = 1,
}
