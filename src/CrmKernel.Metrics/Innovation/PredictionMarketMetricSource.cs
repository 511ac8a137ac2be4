using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Innovation;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Metrics.Innovation;

/// <summary>
/// The tenant's prediction markets as a record source of the metric evaluator: per period, the markets resolved in it
/// (<see cref="PredictionMarket.SettledAt"/> in the period, in the reporting zone) and the sum of their Brier scores,
/// which <see cref="StandardMetrics.ForecastAccuracy"/> divides. The DI registration (<c>AddMetrics</c>) gives it to the
/// evaluator when an <see cref="IPredictionMarketStore"/> is registered.
/// </summary>
/// <remarks>
/// The Brier score of a market is Σᵢ (pᵢ − oᵢ)²: pᵢ the price of outcome i at close (<see cref="PredictionMarket.Prices"/>,
/// frozen when trading ended) and oᵢ 1 for the winning outcome, 0 otherwise. Voided markets are left out. Markets are
/// not customer records, so a segment does not narrow the figures.
/// </remarks>
public sealed class PredictionMarketMetricSource : IMetricRecordSource
{
    /// <summary>The source's name, as the forecast accuracy metric's record scope gives it.</summary>
    public const string SourceName = "prediction-markets";

    /// <summary>The selection of the markets resolved in the period (the forecast accuracy's records).</summary>
    public const string Resolved = "resolved";

    private const int PageSize = 200;

    private readonly IPredictionMarketStore _markets;

    /// <summary>Creates the source over the prediction market store.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="markets"/> is null.</exception>
    public PredictionMarketMetricSource(IPredictionMarketStore markets) => _markets = Preconditions.NotNull(markets);

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public IReadOnlyCollection<FigureKey> Figures => StandardFigures.FromPredictionMarkets;

    /// <summary>The Brier score of a resolved market: Σᵢ (pᵢ − oᵢ)² over its closing prices, 0 (certain and right) to 2 (certain and wrong).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    /// <exception cref="ArgumentException">The market is not resolved.</exception>
    public static double BrierScore(PredictionMarket market)
    {
        Preconditions.NotNull(market);
        Preconditions.Check(market.WinningOutcome is not null, "Only a resolved market has a Brier score.", nameof(market));
        var score = 0d;
        for (var i = 0; i < market.Prices.Count; i++)
        {
            var error = market.Prices[i] - (i == market.WinningOutcome ? 1d : 0d);
            score += error * error;
        }

        return score;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public async ValueTask<IReadOnlyList<MetricFigures>> ScanAsync(TenantId tenantId, IReadOnlyList<DateInterval> periods, DateTimeZone zone, CurrencyConverter converter, SegmentSnapshot? segment, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(periods);
        Preconditions.NotNull(zone);
        Preconditions.NotNull(converter);
        var resolved = new decimal[periods.Count];
        var brier = new decimal[periods.Count];
        await foreach (var page in StorePaging.MarketPagesAsync((after, ct) => _markets.PageAsync(tenantId, after, PageSize, ct), PageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var market in page)
            {
                if (market.Status != PredictionMarketStatus.Resolved)
                {
                    continue;
                }

                var day = market.SettledAt!.Value.InZone(zone).Date;
                for (var p = 0; p < periods.Count; p++)
                {
                    if (periods[p].Contains(day))
                    {
                        resolved[p]++;
                        brier[p] += (decimal)BrierScore(market);
                    }
                }
            }
        }

        var figures = new MetricFigures[periods.Count];
        for (var p = 0; p < figures.Length; p++)
        {
            figures[p] = new MetricFigures(converter.Target, new Dictionary<FigureKey, decimal>
            {
                [StandardFigures.MarketsResolved] = resolved[p],
                [StandardFigures.MarketBrierScoreSum] = brier[p],
            });
        }

        return figures;
    }
}
