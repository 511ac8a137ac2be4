namespace CrmKernel.Innovation;

/// <summary>
/// Where a <see cref="PredictionMarket"/> stands. Use it to decide what a market accepts: only an open market takes
/// trades and grants; a closed one waits to be resolved or voided; resolved and voided markets are settled for good.
/// </summary>
public enum PredictionMarketStatus
{
    /// <summary>Trading (until its closing time, if it has one).</summary>
    Open = 0,

    /// <summary>Closed explicitly; prices are frozen and the market waits to be resolved or voided.</summary>
    Closed = 1,

    /// <summary>Settled: one outcome happened and every share of it paid 1 point.</summary>
    Resolved = 2,

    /// <summary>Settled without an outcome: every participant got back the net points they paid for shares.</summary>
    Voided = 3,
}
