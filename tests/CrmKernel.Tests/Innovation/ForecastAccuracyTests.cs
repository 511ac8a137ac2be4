using CrmKernel.ExchangeRates;
using CrmKernel.Innovation;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Storage.InMemory;
using NodaTime;
using Xunit;
using static CrmKernel.Tests.Innovation.PredictionMarketTestData;

namespace CrmKernel.Tests.Innovation;

/// <summary>The forecast accuracy metric: the mean Brier score of the markets resolved in the period, from their closing prices.</summary>
public sealed class ForecastAccuracyTests
{
    private static readonly DateInterval April = new(new LocalDate(2026, 4, 1), new LocalDate(2026, 4, 30));
    private static readonly DateInterval May = new(new LocalDate(2026, 5, 1), new LocalDate(2026, 5, 31));

    [Fact]
    public void BrierScore_IsTheSquaredDistanceOfTheClosingPricesFromTheOutcome()
    {
        var untraded = Binary();
        untraded.Resolve(0, Start + Duration.FromDays(1));
        var traded = Binary(100m);
        traded.Grant(Traders[0], 100m, Start);
        traded.Trade(Traders[0], 0, 50m, "t1", Start);
        traded.Resolve(1, Start + Duration.FromDays(1));

        Assert.Equal(0.5, PredictionMarketMetricSource.BrierScore(untraded), 15);
        var yes = 1d / (1d + Math.Exp(-0.5));
        Assert.Equal((yes * yes) + ((1 - yes - 1) * (1 - yes - 1)), PredictionMarketMetricSource.BrierScore(traded), 12);
        Assert.Throws<ArgumentException>("market", () => PredictionMarketMetricSource.BrierScore(Binary()));
    }

    [Fact]
    public async Task Scan_CountsTheMarketsResolvedInEachPeriod_LeavingVoidedAndOpenOnesOut()
    {
        var store = new InMemoryPredictionMarketStore();
        var aprilFirst = await StoreAsync(store, m => m.Resolve(0, Instant.FromUtc(2026, 4, 10, 12, 0)));
        var aprilSecond = await StoreAsync(store, m =>
        {
            m.Grant(Traders[1], 100m, Start);
            m.Trade(Traders[1], 1, 80m, "t1", Start);
            m.Resolve(0, Instant.FromUtc(2026, 4, 30, 23, 0));
        });
        await StoreAsync(store, m => m.Void(Instant.FromUtc(2026, 4, 12, 9, 0)));
        await StoreAsync(store, _ => { });
        await StoreAsync(store, m => m.Resolve(1, Instant.FromUtc(2026, 5, 2, 9, 0)));
        var source = new PredictionMarketMetricSource(store);

        var figures = await source.ScanAsync(Tenant, [April, May], DateTimeZone.Utc, new CurrencyConverter(new FixedExchangeRateProvider([]), Currency.EUR), null, default);

        Assert.True(figures[0].TryGet(StandardFigures.MarketsResolved, out var resolved));
        Assert.Equal(2m, resolved);
        var expected = (decimal)PredictionMarketMetricSource.BrierScore(aprilFirst) + (decimal)PredictionMarketMetricSource.BrierScore(aprilSecond);
        Assert.True(figures[0].TryGet(StandardFigures.MarketBrierScoreSum, out var sum));
        Assert.Equal(expected, sum);
        var accuracy = StandardMetrics.ForecastAccuracy.Formula.Compute(figures[0]);
        Assert.Equal(expected / 2m, accuracy.Value);
        Assert.True(figures[1].TryGet(StandardFigures.MarketsResolved, out var may));
        Assert.Equal(1m, may);
        Assert.True(accuracy.Value > 0.5m, "the April market that bet against the winner scores worse than 50/50");
    }

    [Fact]
    public async Task Scan_WithNoMarketResolved_GivesNoValue()
    {
        var source = new PredictionMarketMetricSource(new InMemoryPredictionMarketStore());

        var figures = await source.ScanAsync(Tenant, [April], DateTimeZone.Utc, new CurrencyConverter(new FixedExchangeRateProvider([]), Currency.EUR), null, default);

        Assert.Null(StandardMetrics.ForecastAccuracy.Formula.Compute(figures[0]).Value);
    }

    private static async Task<PredictionMarket> StoreAsync(IPredictionMarketStore store, Action<PredictionMarket> change)
    {
        var market = Binary(50m);
        change(market);
        await store.CommitAsync(PredictionMarketCommit.Create(market), default);
        return market;
    }
}
