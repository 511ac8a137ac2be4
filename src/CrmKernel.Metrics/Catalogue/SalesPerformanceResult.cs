using CrmKernel.Metrics.Definitions;
using CrmKernel.Sales;

namespace CrmKernel.Metrics.Catalogue;

/// <summary>A period's sales figures from <see cref="SalesPerformance.ComputeAsync"/>; amounts are in the reporting currency.</summary>
public sealed class SalesPerformanceResult
{
    internal SalesPerformanceResult(MetricValue winRateByCount, MetricValue winRateByValue, MetricValue averageDealSize, MetricValue salesCycleDays, MetricValue pipelineValue, MetricValue weightedPipelineValue, IReadOnlyDictionary<ForecastCategory, MetricValue> forecast, long won, long lost)
    {
        WinRateByCount = winRateByCount;
        WinRateByValue = winRateByValue;
        AverageDealSize = averageDealSize;
        SalesCycleDays = salesCycleDays;
        PipelineValue = pipelineValue;
        WeightedPipelineValue = weightedPipelineValue;
        Forecast = forecast;
        Won = won;
        Lost = lost;
    }

    /// <summary>Deals won ÷ deals won or lost in the period (0 to 1).</summary>
    public MetricValue WinRateByCount { get; }

    /// <summary>Amount won ÷ amount won or lost in the period (0 to 1).</summary>
    public MetricValue WinRateByValue { get; }

    /// <summary>Amount won ÷ deals won in the period.</summary>
    public MetricValue AverageDealSize { get; }

    /// <summary>Mean days from opening to winning, over the deals won in the period.</summary>
    public MetricValue SalesCycleDays { get; }

    /// <summary>Σ amount of the open deals expected to close in the period.</summary>
    public MetricValue PipelineValue { get; }

    /// <summary>Σ amount × probability of the open deals expected to close in the period.</summary>
    public MetricValue WeightedPipelineValue { get; }

    /// <summary>The amount per forecast category (pipeline, best case, commit: open deals expected to close in the period; closed: won in the period).</summary>
    public IReadOnlyDictionary<ForecastCategory, MetricValue> Forecast { get; }

    /// <summary>How many deals were won in the period.</summary>
    public long Won { get; }

    /// <summary>How many deals were lost in the period.</summary>
    public long Lost { get; }
}
