using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Sales;
using NodaTime;

namespace CrmKernel.Metrics.Catalogue;

/// <summary>
/// The operational and process level's sales figures for one period, computed from deals (<see cref="Opportunity"/>):
/// win rate by count and by value, average deal size, sales cycle length, pipeline and weighted pipeline value, and the
/// forecast by category. Use it for a sales dashboard or review; pass the tenant's deals (e.g. from
/// <c>OpportunityService.StreamAsync</c>), the period in the reporting zone, and a converter into the reporting currency.
/// </summary>
/// <remarks>
/// <para>Conventions (every figure fixes them): the period is the reporting zone's days, first day inclusive, the day
/// after the last exclusive. A deal <i>closed in the period</i> was won or lost at an instant inside it. Amounts are
/// converted into the reporting currency at the rate of the day the deal closed (closed deals) or of the period's last
/// day (open deals), in the reporting zone.</para>
/// <list type="bullet">
/// <item><b>Win rate by count</b> = deals won ÷ deals won or lost, closed in the period; none closed: no value.</item>
/// <item><b>Win rate by value</b> = amount won ÷ amount won or lost, closed in the period; no amount closed: no value.</item>
/// <item><b>Average deal size</b> = amount won ÷ deals won, closed in the period; none won: no value.</item>
/// <item><b>Sales cycle length</b> = mean days from opening to winning over the deals won in the period (lost deals
/// are left out); none won: no value.</item>
/// <item><b>Pipeline value</b> = Σ amount of the deals open now whose expected close date falls in the period;
/// <b>weighted pipeline value</b> = Σ amount × the deal's probability. Zero when there are none.</item>
/// <item><b>Forecast by category</b>: for <see cref="ForecastCategory.Pipeline"/>, <see cref="ForecastCategory.BestCase"/>
/// and <see cref="ForecastCategory.Commit"/>, Σ amount of the deals open now in that category whose expected close date
/// falls in the period; for <see cref="ForecastCategory.Closed"/>, the amount won in the period. Categories are not
/// cumulative (commit does not include closed); add them for a cumulative view.</item>
/// </list>
/// </remarks>
public static class SalesPerformance
{
    /// <summary>Computes the period's sales figures.</summary>
    /// <param name="deals">The deals to consider (others' tenants are the caller's to leave out).</param>
    /// <param name="period">The reporting period's days.</param>
    /// <param name="zone">The reporting zone.</param>
    /// <param name="converter">Converts amounts into the reporting currency.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The figures.</returns>
    /// <exception cref="ArgumentNullException">An argument is null, or <paramref name="deals"/> holds null.</exception>
    /// <exception cref="ExchangeRateNotFoundException">A rate is missing; nothing is returned.</exception>
    public static async ValueTask<SalesPerformanceResult> ComputeAsync(IEnumerable<Opportunity> deals, DateInterval period, DateTimeZone zone, CurrencyConverter converter, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(deals);
        Preconditions.NotNull(period);
        Preconditions.NotNull(zone);
        Preconditions.NotNull(converter);
        var start = period.Start.AtStartOfDayInZone(zone).ToInstant();
        var end = period.End.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
        long won = 0, lost = 0;
        decimal wonAmount = 0m, lostAmount = 0m, cycleDays = 0m, pipeline = 0m, weighted = 0m;
        var forecast = new Dictionary<ForecastCategory, decimal>
        {
            [ForecastCategory.Pipeline] = 0m,
            [ForecastCategory.BestCase] = 0m,
            [ForecastCategory.Commit] = 0m,
            [ForecastCategory.Closed] = 0m,
        };
        foreach (var deal in deals)
        {
            Preconditions.Check(deal is not null, "The deals must not contain null.", nameof(deals));
            if (deal!.ClosedAt is { } closedAt)
            {
                if (closedAt < start || closedAt >= end)
                {
                    continue;
                }

                var amount = (await converter.ConvertAsync(deal.Amount, closedAt.InZone(zone).Date, cancellationToken).ConfigureAwait(false)).Amount;
                if (deal.Status == OpportunityStatus.Won)
                {
                    won++;
                    wonAmount += amount;
                    cycleDays += (decimal)(closedAt - deal.OpenedAt).TotalDays;
                }
                else
                {
                    lost++;
                    lostAmount += amount;
                }
            }
            else if (period.Contains(deal.ExpectedCloseDate))
            {
                var amount = (await converter.ConvertAsync(deal.Amount, period.End, cancellationToken).ConfigureAwait(false)).Amount;
                pipeline += amount;
                weighted += amount * deal.Probability;
                forecast[deal.ForecastCategory] += amount;
            }
        }

        forecast[ForecastCategory.Closed] = wonAmount;
        return new SalesPerformanceResult(
            MetricValue.Ratio(won, won + lost, "deals closed in the period"),
            MetricValue.Ratio(wonAmount, wonAmount + lostAmount, "amount closed in the period"),
            MetricValue.Ratio(wonAmount, won, "deals won in the period"),
            MetricValue.Ratio(cycleDays, won, "deals won in the period"),
            MetricValue.Of(pipeline),
            MetricValue.Of(weighted),
            forecast.ToDictionary(f => f.Key, f => MetricValue.Of(f.Value)),
            won,
            lost);
    }
}
