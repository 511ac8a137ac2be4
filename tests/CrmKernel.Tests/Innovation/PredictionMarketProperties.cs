using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Innovation.PredictionMarketTestData;

namespace CrmKernel.Tests.Innovation;

/// <summary>One generated trade: who (0–2), which outcome (index modulo the market's outcomes), how many shares (negative sells).</summary>
public sealed record GeneratedTrade(int Trader, int Outcome, decimal Shares);

/// <summary>A generated market (outcomes, liquidity) and a trade sequence on it, with the outcome it resolves to.</summary>
public sealed record TradeScript(int Outcomes, decimal Liquidity, IReadOnlyList<GeneratedTrade> Trades, int Winner, GeneratedTrade Probe)
{
    public override string ToString() => $"n={Outcomes} b={Liquidity} winner={Winner} probe={Probe} trades=[{string.Join("; ", Trades)}]";
}

public static class MarketArbitraries
{
    /// <summary>Liquidities from tiny to large, so share sizes range from negligible to price-saturating.</summary>
    private static readonly Gen<decimal> Liquidity = Gen.Elements(0.5m, 1m, 3.25m, 10m, 100m, 2_500m);

    /// <summary>Share sizes with up to four decimals, from 0.0001 to 5,000, buys and sells.</summary>
    private static readonly Gen<decimal> Shares =
        from units in Gen.Frequency((4, Gen.Choose(1, 100)), (3, Gen.Choose(1, 10_000)), (2, Gen.Choose(1, 50_000_000)))
        from scale in Gen.Elements(1m, 0.01m, 0.0001m)
        from sell in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
        let size = Math.Max(0.0001m, Math.Min(5_000m, units * scale))
        select sell ? -size : size;

    public static readonly Gen<GeneratedTrade> Trade =
        from trader in Gen.Choose(0, 2)
        from outcome in Gen.Choose(0, PredictionMarket.MaxOutcomes - 1)
        from shares in Shares
        select new GeneratedTrade(trader, outcome, shares);

    public static Arbitrary<TradeScript> Script()
        => (from n in Gen.Frequency((6, Gen.Constant(2)), (3, Gen.Choose(3, 5)), (1, Gen.Constant(PredictionMarket.MaxOutcomes)))
            from b in Liquidity
            from count in Gen.Choose(0, 60)
            from trades in Trade.ListOf(count)
            from winner in Gen.Choose(0, n - 1)
            from probe in Trade
            select new TradeScript(n, b, [.. trades], winner, probe)).ToArbitrary();
}

/// <summary>
/// The LMSR laws for any reachable state: prices are probabilities, the market maker's loss is bounded by b·ln n, a trade
/// and its reverse cancel, and the points add up exactly. States are reached by generated trade sequences on generated
/// markets (refused trades, e.g. overspending or past the spread bound, are part of the sequence and must change nothing).
/// </summary>
public sealed class PredictionMarketProperties
{
    /// <summary>Prices sum to 1 within this tolerance (double rounding over at most 16 terms).</summary>
    private const double SumTolerance = 1e-12;

    /// <summary>The loss bound's tolerance: the cost function is rounded to 4 decimals at both ends (0.0001) plus double error.</summary>
    private const decimal LossTolerance = 0.0002m;

    private static readonly Instant At = Start + Duration.FromHours(1);

    [Property(Arbitrary = new[] { typeof(MarketArbitraries) }, MaxTest = 500)]
    public void Prices_AreInZeroOne_AndSumToOne_InEveryReachableState(TradeScript script)
    {
        var market = Play(script, m => AssertPrices(m.Prices));

        AssertPrices(market.Prices);
    }

    [Property(Arbitrary = new[] { typeof(MarketArbitraries) }, MaxTest = 500)]
    public void MarketMakerLoss_IsAtMost_bLnN_ForAnyTradesAndAnyOutcome(TradeScript script)
    {
        var market = Play(script, _ => { });
        market.Resolve(script.Winner, At);

        var loss = market.PaidOut - market.Collected;
        var bound = (decimal)Lmsr.WorstCaseLoss(script.Outcomes, (double)script.Liquidity) + LossTolerance;
        Assert.True(loss <= bound, $"loss {loss} > b·ln n + tolerance = {bound}; {script}");
        AssertPointsAddUp(market);
    }

    [Property(Arbitrary = new[] { typeof(MarketArbitraries) }, MaxTest = 500)]
    public void TradeThenReverse_ReturnsQuantitiesPricesAndBalances(TradeScript script)
    {
        var probe = script.Probe;
        var market = Play(script, _ => { });
        var trader = Traders[probe.Trader];
        var outcome = probe.Outcome % script.Outcomes;
        var held = market.FindParticipant(trader)?.Shares[outcome] ?? 0m;
        var shares = probe.Shares < 0m && held > 0m ? -Math.Min(held, -probe.Shares) : Math.Abs(probe.Shares);
        var quantities = market.Quantities.ToArray();
        var prices = market.Prices.ToArray();
        var balances = market.Participants.ToDictionary(p => p.CustomerId, p => p.Balance);
        var collected = market.Collected;
        var before = Describe(market);

        try
        {
            market.Trade(trader, outcome, shares, "probe", At);
        }
        catch (PredictionMarketRuleException)
        {
            // A refused probe (overspending, beyond the bounds) must change nothing at all.
            Assert.Equal(before, Describe(market));
            return;
        }

        market.Trade(trader, outcome, -shares, "probe-reverse", At);

        Assert.Equal(quantities, market.Quantities);
        Assert.Equal(prices, market.Prices);
        Assert.Equal(collected, market.Collected);
        foreach (var (customer, balance) in balances)
        {
            Assert.Equal(balance, market.FindParticipant(customer)!.Balance);
        }
    }

    /// <summary>The generated scripts reach the refusals and the saturated states the properties are about.</summary>
    [Fact]
    public void Generator_ReachesOverspendingOversellingAndTheSpreadBound()
    {
        var seen = new HashSet<string>();
        foreach (var script in MarketArbitraries.Script().Generator.Sample(300, 300))
        {
            Play(script, _ => { }, seen);
        }

        Assert.Contains("ok", seen);
        Assert.Contains(CrmErrorCodes.MarketInsufficientPoints, seen);
        Assert.Contains(CrmErrorCodes.MarketInsufficientShares, seen);
        Assert.Contains(CrmErrorCodes.MarketBoundExceeded, seen);
    }

    private static PredictionMarket Play(TradeScript script, Action<PredictionMarket> afterEach, HashSet<string>? outcomes = null)
    {
        var market = WithOutcomes(script.Outcomes, script.Liquidity);
        foreach (var customer in Traders)
        {
            market.Grant(customer, 1_000m, At);
        }

        var i = 0;
        foreach (var trade in script.Trades)
        {
            var before = Describe(market);
            try
            {
                market.Trade(Traders[trade.Trader], trade.Outcome % script.Outcomes, trade.Shares, $"k{i++}", At);
                outcomes?.Add("ok");
            }
            catch (PredictionMarketRuleException e)
            {
                Assert.Equal(before, Describe(market));
                outcomes?.Add(e.ErrorCode);
            }

            AssertPointsAddUp(market);
            afterEach(market);
        }

        return market;
    }

    private static void AssertPrices(IReadOnlyList<double> prices)
    {
        Assert.All(prices, p => Assert.True(p > 0d && p < 1d, $"price {p} is not in (0, 1)"));
        Assert.True(Math.Abs(prices.Sum() - 1d) <= SumTolerance, $"prices sum to {prices.Sum():R}");
    }

    /// <summary>
    /// The bookkeeping: no negative balance; exactly, balances = grants − collected + paid out and collected = the trades'
    /// costs summed; and collected is C(q) − C(0) (an independent computation) to within the two roundings, 0.0001.
    /// </summary>
    private static void AssertPointsAddUp(PredictionMarket market)
    {
        Assert.All(market.Participants, p => Assert.True(p.Balance >= 0m, $"balance {p.Balance}"));
        Assert.Equal(market.Participants.Sum(p => p.Granted) - market.Collected + market.PaidOut, market.Participants.Sum(p => p.Balance));
        Assert.Equal(market.PendingTrades.Sum(t => t.Cost), market.Collected);
        var reference = ReferenceCost(market.Quantities, market.Liquidity) - ReferenceCost(new decimal[market.Outcomes.Count], market.Liquidity);
        Assert.True(Math.Abs((double)market.Collected - reference) <= 0.0001 + 1e-9, $"collected {market.Collected}, C(q) − C(0) = {reference:R}");
    }
}
