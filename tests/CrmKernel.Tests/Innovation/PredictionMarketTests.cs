using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Innovation.PredictionMarketTestData;

namespace CrmKernel.Tests.Innovation;

/// <summary>The market's rules and every guard: each refused request names its code and changes nothing.</summary>
public sealed class PredictionMarketTests
{
    private static readonly CustomerId Ann = Traders[0];
    private static readonly CustomerId Bob = Traders[1];
    private static readonly Instant Later = Start + Duration.FromHours(1);

    [Fact]
    public void Open_StartsWithUniformPrices_AndNothingCollected()
    {
        var market = WithOutcomes(4, 10m);

        Assert.All(market.Prices, p => Assert.Equal(0.25, p, 15));
        Assert.Equal(PredictionMarketStatus.Open, market.Status);
        Assert.Equal(0m, market.Collected);
        Assert.Empty(market.Participants);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_000.0001)]
    [InlineData(0.00001)]
    public void Open_RefusesLiquidityOutOfRange(decimal liquidity)
        => Assert.Throws<ArgumentOutOfRangeException>("liquidity", () => Binary(liquidity));

    [Fact]
    public void Open_RefusesFewerThanTwoOutcomes()
    {
        Assert.Throws<ArgumentException>("outcomes", () => PredictionMarket.Open(Tenant, PredictionMarketId.New(), null, "q", ["yes"], 10m, Start));
        Assert.Throws<ArgumentException>("outcomes", () => PredictionMarket.Open(Tenant, PredictionMarketId.New(), null, "q", [], 10m, Start));
    }

    [Fact]
    public void Open_RefusesRepeatedOrBlankLabels_AndBadArguments()
    {
        Assert.Throws<ArgumentException>("outcomes", () => PredictionMarket.Open(Tenant, PredictionMarketId.New(), null, "q", ["Yes", "yes"], 10m, Start));
        Assert.Throws<ArgumentException>("outcomes", () => PredictionMarket.Open(Tenant, PredictionMarketId.New(), null, "q", ["yes", " "], 10m, Start));
        Assert.Throws<ArgumentException>("question", () => PredictionMarket.Open(Tenant, PredictionMarketId.New(), null, " ", ["yes", "no"], 10m, Start));
        Assert.Throws<ArgumentException>("closesAt", () => PredictionMarket.Open(Tenant, PredictionMarketId.New(), null, "q", ["yes", "no"], 10m, Start, Start));
        Assert.Throws<ArgumentException>("id", () => PredictionMarket.Open(Tenant, default, null, "q", ["yes", "no"], 10m, Start));
        Assert.Throws<ArgumentException>("ideaId", () => PredictionMarket.Open(Tenant, PredictionMarketId.New(), default(IdeaId), "q", ["yes", "no"], 10m, Start));
        Assert.Throws<InputLimitExceededException>("outcomes", () => WithOutcomes(PredictionMarket.MaxOutcomes + 1, 10m));
    }

    [Fact]
    public void Trade_BuyingRaisesThePrice_AndCostsTheRoundedCostDifference()
    {
        var market = Binary(100m);
        market.Grant(Ann, 100m, Later);

        var trade = market.Trade(Ann, 0, 50m, "t1", Later);

        // C(50, 0) − C(0, 0) with b = 100: 100·ln(e^0.5 + 1) − 100·ln 2 = 97.40770 − 69.31472, each rounded to points: 97.4077 − 69.3147.
        Assert.Equal(ReferenceCost([50m, 0m], 100m) - ReferenceCost([0m, 0m], 100m), (double)trade.Cost, 0.0001);
        Assert.Equal(28.0930m, trade.Cost);
        Assert.True(market.Prices[0] > 0.5);
        Assert.Equal(1d / (1d + Math.Exp(-0.5)), market.Prices[0], 12);
        Assert.Equal(market.Prices, trade.PricesAfter);
        var ann = market.FindParticipant(Ann)!;
        Assert.Equal(100m - 28.0930m, ann.Balance);
        Assert.Equal(50m, ann.Shares[0]);
        Assert.Equal(1, ann.Trades);
        Assert.Equal(1L, trade.Sequence);
    }

    [Fact]
    public void Trade_RefusesOverspending_AndChangesNothing()
    {
        var market = Binary(100m);
        market.Grant(Ann, 10m, Later);
        var before = Describe(market);

        var e = Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 0, 50m, "t1", Later));

        Assert.Equal(CrmErrorCodes.MarketInsufficientPoints, e.ErrorCode);
        Assert.Equal(before, Describe(market));
        Assert.Empty(market.PendingTrades);
    }

    [Fact]
    public void Trade_WithoutAGrant_IsOverspending()
    {
        var market = Binary();

        var e = Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 0, 1m, "t1", Later));

        Assert.Equal(CrmErrorCodes.MarketInsufficientPoints, e.ErrorCode);
        Assert.Empty(market.Participants);
    }

    [Fact]
    public void Trade_SpendingTheWholeBalance_IsAllowed_AndLeavesZero()
    {
        var market = Binary(100m);
        var cost = market.Quote(0, 50m);
        market.Grant(Ann, cost, Later);

        market.Trade(Ann, 0, 50m, "t1", Later);

        Assert.Equal(0m, market.FindParticipant(Ann)!.Balance);
    }

    [Fact]
    public void Trade_RefusesOverselling_AndChangesNothing()
    {
        var market = Binary();
        market.Grant(Ann, 100m, Later);
        market.Grant(Bob, 100m, Later);
        market.Trade(Ann, 0, 10m, "t1", Later);
        market.Trade(Bob, 0, 10m, "t2", Later);
        var before = Describe(market);

        var e = Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 0, -10.0001m, "t3", Later));
        var other = Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 1, -1m, "t4", Later));

        Assert.Equal(CrmErrorCodes.MarketInsufficientShares, e.ErrorCode);
        Assert.Equal(CrmErrorCodes.MarketInsufficientShares, other.ErrorCode);
        Assert.Equal(before, Describe(market));
    }

    [Fact]
    public void Trade_RefusesAClosedMarket_APastClosingTime_AndBeforeOpening()
    {
        var closing = Start + Duration.FromDays(1);
        var market = Binary(closesAt: closing);
        market.Grant(Ann, 100m, Later);

        Assert.Equal(CrmErrorCodes.MarketNotOpen, Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 0, 1m, "t1", closing)).ErrorCode);
        Assert.Equal(CrmErrorCodes.MarketNotOpen, Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 0, 1m, "t1", Start - Duration.FromSeconds(1))).ErrorCode);
        Assert.Equal(CrmErrorCodes.MarketNotOpen, Assert.Throws<PredictionMarketRuleException>(() => market.Grant(Ann, 1m, closing)).ErrorCode);
        market.Trade(Ann, 0, 1m, "t1", closing - Duration.FromSeconds(1));
        market.Close(Later);
        Assert.Equal(CrmErrorCodes.MarketNotOpen, Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 0, 1m, "t2", Later)).ErrorCode);
        Assert.Equal(CrmErrorCodes.MarketNotOpen, Assert.Throws<PredictionMarketRuleException>(() => market.Close(Later)).ErrorCode);
    }

    [Fact]
    public void Close_PastTheClosingTime_RecordsTheClosingTime()
    {
        var closing = Start + Duration.FromDays(1);
        var market = Binary(closesAt: closing);

        market.Close(closing + Duration.FromDays(3));

        Assert.Equal(closing, market.ClosedAt);
        Assert.Equal(PredictionMarketStatus.Closed, market.Status);
    }

    [Fact]
    public void Trade_RefusesAnUnknownOutcome_AndBadShares()
    {
        var market = Binary();
        market.Grant(Ann, 100m, Later);

        Assert.Equal(CrmErrorCodes.MarketUnknownOutcome, Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 2, 1m, "t1", Later)).ErrorCode);
        Assert.Equal(CrmErrorCodes.MarketUnknownOutcome, Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, -1, 1m, "t1", Later)).ErrorCode);
        Assert.Throws<ArgumentOutOfRangeException>("shares", () => market.Trade(Ann, 0, 0m, "t1", Later));
        Assert.Throws<ArgumentOutOfRangeException>("shares", () => market.Trade(Ann, 0, 0.00001m, "t1", Later));
        Assert.Throws<ArgumentOutOfRangeException>("shares", () => market.Trade(Ann, 0, PredictionMarket.MaxTradeShares + 1m, "t1", Later));
        Assert.Throws<ArgumentException>("idempotencyKey", () => market.Trade(Ann, 0, 1m, " ", Later));
        Assert.Throws<InputLimitExceededException>("idempotencyKey", () => market.Trade(Ann, 0, 1m, new string('k', PredictionMarket.MaxTradeKeyLength + 1), Later));
        Assert.Throws<ArgumentException>("customerId", () => market.Trade(default, 0, 1m, "t1", Later));
        Assert.Equal(0L, market.TradeCount);
    }

    [Fact]
    public void Trade_RefusesToPushPricesBeyondTheSpreadBound()
    {
        var market = Binary(1m);
        market.Grant(Ann, 1_000m, Later);

        market.Trade(Ann, 0, PredictionMarket.MaxSpread, "t1", Later);
        var e = Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 0, 0.0001m, "t2", Later));

        Assert.Equal(CrmErrorCodes.MarketBoundExceeded, e.ErrorCode);
        Assert.InRange(market.Prices[0], 0.999, 1d - 1e-15);
        Assert.InRange(market.Prices[1], 1e-14, 1e-12);
    }

    [Fact]
    public void Prices_AtTheSpreadBoundWithTheMostOutcomes_StayStrictlyInsideZeroAndOne()
    {
        var market = WithOutcomes(PredictionMarket.MaxOutcomes, 1m);
        market.Grant(Ann, 1_000m, Later);

        market.Trade(Ann, 0, PredictionMarket.MaxSpread, "t1", Later);

        Assert.All(market.Prices, p => Assert.True(p > 0d && p < 1d, $"price {p}"));
        Assert.Equal(1d, market.Prices.Sum(), 12);
    }

    [Fact]
    public void Trade_RepeatedKey_ReturnsTheFirstTrade_AnotherTradeUnderItIsRefused()
    {
        var market = Binary();
        market.Grant(Ann, 100m, Later);
        var first = market.Trade(Ann, 0, 5m, "t1", Later);
        var before = Describe(market);

        var again = market.Trade(Ann, 0, 5m, "t1", Later);
        var e = Assert.Throws<PredictionMarketRuleException>(() => market.Trade(Ann, 1, 5m, "t1", Later));

        Assert.Same(first, again);
        Assert.Equal(CrmErrorCodes.MarketTradeKeyConflict, e.ErrorCode);
        Assert.Equal(before, Describe(market));
    }

    [Fact]
    public void Resolve_PaysOnePointPerWinningShare()
    {
        var market = Binary(100m);
        market.Grant(Ann, 100m, Later);
        market.Grant(Bob, 100m, Later);
        market.Trade(Ann, 0, 40m, "t1", Later);
        market.Trade(Bob, 1, 10m, "t2", Later);
        var annBefore = market.FindParticipant(Ann)!.Balance;
        var bobBefore = market.FindParticipant(Bob)!.Balance;

        market.Resolve(0, Later);

        Assert.Equal(annBefore + 40m, market.FindParticipant(Ann)!.Balance);
        Assert.Equal(bobBefore, market.FindParticipant(Bob)!.Balance);
        Assert.Equal(40m, market.PaidOut);
        Assert.Equal(0, market.WinningOutcome);
        Assert.Equal(Later, market.ClosedAt);
        Assert.Equal(PredictionMarketStatus.Resolved, market.Status);
    }

    [Fact]
    public void Resolve_Twice_OrAfterVoiding_IsRefused_AndChangesNothing()
    {
        var market = Binary();
        market.Resolve(1, Later);
        var before = Describe(market);

        Assert.Equal(CrmErrorCodes.MarketSettled, Assert.Throws<PredictionMarketRuleException>(() => market.Resolve(1, Later)).ErrorCode);
        Assert.Equal(CrmErrorCodes.MarketSettled, Assert.Throws<PredictionMarketRuleException>(() => market.Void(Later)).ErrorCode);
        Assert.Equal(before, Describe(market));

        var voided = Binary();
        voided.Void(Later);
        Assert.Equal(CrmErrorCodes.MarketSettled, Assert.Throws<PredictionMarketRuleException>(() => voided.Resolve(0, Later)).ErrorCode);
    }

    [Fact]
    public void Resolve_ToAnUnknownOutcome_IsRefused()
    {
        var market = Binary();

        Assert.Equal(CrmErrorCodes.MarketUnknownOutcome, Assert.Throws<PredictionMarketRuleException>(() => market.Resolve(2, Later)).ErrorCode);
        Assert.Equal(PredictionMarketStatus.Open, market.Status);
        Assert.Null(market.ClosedAt);
    }

    [Fact]
    public void Void_RefundsNetPayments_SoEveryBalanceIsItsGrant()
    {
        var market = Binary(10m);
        market.Grant(Ann, 100m, Later);
        market.Grant(Bob, 50m, Later);
        market.Trade(Ann, 0, 30m, "t1", Later);
        market.Trade(Bob, 1, 20m, "t2", Later);
        market.Trade(Ann, 0, -30m, "t3", Later);

        market.Void(Later);

        Assert.Equal(100m, market.FindParticipant(Ann)!.Balance);
        Assert.Equal(50m, market.FindParticipant(Bob)!.Balance);
        Assert.Equal(market.Collected, market.PaidOut);
    }

    [Fact]
    public void Grant_RefusesNonPositiveOrTooPreciseOrTooLargePoints()
    {
        var market = Binary();

        Assert.Throws<ArgumentOutOfRangeException>("points", () => market.Grant(Ann, 0m, Later));
        Assert.Throws<ArgumentOutOfRangeException>("points", () => market.Grant(Ann, -5m, Later));
        Assert.Throws<ArgumentOutOfRangeException>("points", () => market.Grant(Ann, 0.00001m, Later));
        Assert.Throws<ArgumentOutOfRangeException>("points", () => market.Grant(Ann, PredictionMarket.MaxGrantPoints + 1m, Later));
        Assert.Throws<ArgumentException>("customerId", () => market.Grant(default, 1m, Later));
        Assert.Empty(market.Participants);
    }

    [Fact]
    public void Quote_IsTheTradeCost_WithoutTrading()
    {
        var market = Binary(20m);
        market.Grant(Ann, 100m, Later);
        var quote = market.Quote(1, 7.5m);

        Assert.Equal(quote, market.Trade(Ann, 1, 7.5m, "t1", Later).Cost);
        Assert.Equal(CrmErrorCodes.MarketInsufficientShares, Assert.Throws<PredictionMarketRuleException>(() => market.Quote(0, -1m)).ErrorCode);
    }

    [Fact]
    public void StoredForm_RoundTripsEveryField()
    {
        var market = Binary(25m, Start + Duration.FromDays(30));
        market.Grant(Ann, 80m, Later);
        market.Grant(Bob, 80m, Later);
        market.Trade(Ann, 0, 12.3456m, "t1", Later);
        market.Trade(Bob, 1, 3m, "t2", Later);
        market.Resolve(1, Later);
        var commit = PredictionMarketCommit.Create(market);

        var reread = PredictionMarketDocuments.ReadMarket(Tenant, market.Id, 1, commit.Document);
        var trade = PredictionMarketDocuments.ReadTrade(market.Id, 1, commit.TradeDocuments[0]);

        Assert.Equal(Describe(market), Describe(reread));
        Assert.Equal(market.IdeaId, reread.IdeaId);
        Assert.Equal(market.ClosesAt, reread.ClosesAt);
        Assert.Equal(market.SettledAt, reread.SettledAt);
        Assert.Equal(market.Outcomes, reread.Outcomes);
        Assert.Equal(market.PendingTrades[0].PricesAfter, trade.PricesAfter);
        Assert.Equal(market.PendingTrades[0].Cost, trade.Cost);
        Assert.Equal(1L, reread.Version);
    }

    [Fact]
    public void StoredForm_ThatDoesNotAddUp_FailsLoudly()
    {
        var market = Binary();
        market.Grant(Ann, 80m, Later);
        var document = PredictionMarketCommit.Create(market).Document.Replace("\"balance\":\"80\"", "\"balance\":\"81\"", StringComparison.Ordinal);

        var e = Assert.Throws<InvalidStoredStateException>(() => PredictionMarketDocuments.ReadMarket(Tenant, market.Id, 1, document));

        Assert.Equal(CrmErrorCodes.InvalidStoredState, e.ErrorCode);
    }

    [Fact]
    public void Lmsr_IsStableForHugeQuantities_AndGuardsItsArguments()
    {
        Assert.Equal(1e6 + (10 * Math.Log(2)), Lmsr.Cost([1e6, 1e6], 10), 6);
        Span<double> prices = stackalloc double[2];
        Lmsr.Prices([1e6, 1e6], 10, prices);
        Assert.Equal(0.5, prices[0]);
        Assert.Equal(Math.Log(3) * 5, Lmsr.WorstCaseLoss(3, 5), 12);
        Assert.Throws<ArgumentOutOfRangeException>("liquidity", () => Lmsr.Cost([0, 0], 0));
        Assert.Throws<ArgumentException>("quantities", () => Lmsr.Cost([0], 1));
        Assert.Throws<ArgumentException>("quantities", () => Lmsr.Cost([0, double.NaN], 1));
        Assert.Throws<ArgumentOutOfRangeException>("outcomes", () => Lmsr.WorstCaseLoss(1, 1));
    }
}
