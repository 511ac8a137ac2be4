using CrmKernel.Metrics.Definitions;
using CrmKernel.Sales;

namespace CrmKernel.Metrics.Catalogue;

/// <summary>
/// A period's sales figures from <see cref="SalesPerformance.ComputeAsync"/>: each the value of the catalogue metric of the
/// same name over <see cref="Figures"/>; amounts are in the reporting currency.
/// </summary>
public sealed class SalesPerformanceResult
{
    internal SalesPerformanceResult(MetricFigures figures)
    {
        Figures = figures;
        WinRateByCount = StandardMetrics.WinRate.Formula.Compute(figures);
        WinRateByValue = StandardMetrics.WinRateByValue.Formula.Compute(figures);
        AverageDealSize = StandardMetrics.AverageDealSize.Formula.Compute(figures);
        SalesCycleDays = StandardMetrics.SalesCycleLength.Formula.Compute(figures);
        PipelineValue = StandardMetrics.PipelineValue.Formula.Compute(figures);
        WeightedPipelineValue = StandardMetrics.WeightedPipelineValue.Formula.Compute(figures);
        PipelineVelocity = StandardMetrics.PipelineVelocity.Formula.Compute(figures);
        StageConversion = StandardMetrics.StageConversion.Formula.Compute(figures);
        TimeInStage = StandardMetrics.TimeInStage.Formula.Compute(figures);
        var forecast = StandardMetrics.SalesForecast.Formula.Compute(figures);
        Forecast = new Dictionary<ForecastCategory, MetricValue>
        {
            [ForecastCategory.Pipeline] = forecast.Breakdown[0].Value,
            [ForecastCategory.BestCase] = forecast.Breakdown[1].Value,
            [ForecastCategory.Commit] = forecast.Breakdown[2].Value,
            [ForecastCategory.Closed] = forecast.Breakdown[3].Value,
        };
        Won = (long)figures.Values[StandardFigures.DealsWon];
        Lost = (long)figures.Values[StandardFigures.DealsLost];
        OpenDeals = (long)figures.Values[StandardFigures.OpenDeals];
    }

    /// <summary>The deal figures the values are computed from (<see cref="StandardFigures.FromDeals"/>).</summary>
    public MetricFigures Figures { get; }

    /// <summary>Deals won ÷ deals won or lost in the period (0 to 1): <see cref="StandardMetrics.WinRate"/>.</summary>
    public MetricValue WinRateByCount { get; }

    /// <summary>Amount won ÷ amount won or lost in the period (0 to 1): <see cref="StandardMetrics.WinRateByValue"/>.</summary>
    public MetricValue WinRateByValue { get; }

    /// <summary>Amount won ÷ deals won in the period: <see cref="StandardMetrics.AverageDealSize"/>.</summary>
    public MetricValue AverageDealSize { get; }

    /// <summary>Mean days from opening to winning, over the deals won in the period: <see cref="StandardMetrics.SalesCycleLength"/>.</summary>
    public MetricValue SalesCycleDays { get; }

    /// <summary>Σ amount of the deals open at the period end: <see cref="StandardMetrics.PipelineValue"/>.</summary>
    public MetricValue PipelineValue { get; }

    /// <summary>Σ amount × probability of the deals open at the period end: <see cref="StandardMetrics.WeightedPipelineValue"/>.</summary>
    public MetricValue WeightedPipelineValue { get; }

    /// <summary>Open deals × win rate × average deal size ÷ cycle days: <see cref="StandardMetrics.PipelineVelocity"/>.</summary>
    public MetricValue PipelineVelocity { get; }

    /// <summary>Stage conversion, overall and per stage in its breakdown: <see cref="StandardMetrics.StageConversion"/>.</summary>
    public MetricValue StageConversion { get; }

    /// <summary>Mean days in stage, overall and per stage in its breakdown: <see cref="StandardMetrics.TimeInStage"/>.</summary>
    public MetricValue TimeInStage { get; }

    /// <summary>The amount per forecast category (pipeline, best case, commit: open at the period end and expected to close in it; closed: won in the period): <see cref="StandardMetrics.SalesForecast"/>'s breakdown.</summary>
    public IReadOnlyDictionary<ForecastCategory, MetricValue> Forecast { get; }

    /// <summary>How many deals were won in the period.</summary>
    public long Won { get; }

    /// <summary>How many deals were lost in the period.</summary>
    public long Lost { get; }

    /// <summary>How many deals were open at the period end.</summary>
    public long OpenDeals { get; }
}
