using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using NodaTime;

namespace CrmKernel.Metrics.Catalogue;

/// <summary>
/// The sales metrics of <see cref="StandardMetrics"/> (win rate by count and value, average deal size, sales cycle
/// length, pipeline and weighted pipeline value, pipeline velocity, stage conversion, time in stage, forecast by category)
/// for one period over deals at hand, without a metric evaluation: use it for a sales dashboard over deals you already
/// hold (e.g. one owner's, from <c>OpportunityService.StreamAsync</c>). It is a view over the same computation as the
/// evaluator (<see cref="OpportunityScan"/> and the catalogue's formulas), so the figures are the evaluator's.
/// </summary>
/// <remarks>
/// Every deal is judged by its state at the period end, reconstructed from its stage history (the as-of rule of
/// <see cref="OpportunityScan"/>): a deal lost in the period and reopened after it counts as lost; a deal open at the
/// period end counts in the pipeline even if it was won since. The metric definitions state each formula and convention.
/// </remarks>
public static class SalesPerformance
{
    /// <summary>Computes the period's sales figures.</summary>
    /// <param name="deals">The deals to consider (others' tenants are the caller's to leave out).</param>
    /// <param name="pipelines">The deals' pipelines (for stage order and earlier stage visits' probability and category).</param>
    /// <param name="period">The reporting period's days.</param>
    /// <param name="zone">The reporting zone.</param>
    /// <param name="converter">Converts amounts into the reporting currency.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The figures.</returns>
    /// <exception cref="ArgumentNullException">An argument is null, or <paramref name="deals"/> or <paramref name="pipelines"/> holds null.</exception>
    /// <exception cref="ArgumentException">A deal's pipeline is not among <paramref name="pipelines"/>, or two pipelines share an id.</exception>
    /// <exception cref="ExchangeRateNotFoundException">A rate is missing; nothing is returned.</exception>
    public static async ValueTask<SalesPerformanceResult> ComputeAsync(IEnumerable<Opportunity> deals, IEnumerable<SalesPipeline> pipelines, DateInterval period, DateTimeZone zone, CurrencyConverter converter, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(deals);
        Preconditions.NotNull(pipelines);
        Preconditions.NotNull(period);
        Preconditions.NotNull(zone);
        Preconditions.NotNull(converter);
        var byId = new Dictionary<SalesPipelineId, SalesPipeline>();
        foreach (var pipeline in pipelines)
        {
            Preconditions.Check(pipeline is not null, "The pipelines must not contain null.", nameof(pipelines));
            Preconditions.Check(byId.TryAdd(pipeline!.Id, pipeline), $"Two pipelines have the id {pipeline.Id}.", nameof(pipelines));
        }

        var scan = new OpportunityScan(period, zone);
        foreach (var deal in deals)
        {
            Preconditions.Check(deal is not null, "The deals must not contain null.", nameof(deals));
            Preconditions.Check(byId.TryGetValue(deal!.PipelineId, out var pipeline), $"The pipeline {deal.PipelineId} of deal {deal.Id} was not given.", nameof(pipelines));
            await scan.AddAsync(deal, pipeline!, converter, cancellationToken).ConfigureAwait(false);
        }

        return new SalesPerformanceResult(scan.ToFigures(converter.Target));
    }
}
