using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Sales;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// The tenant's deals as a record source of the metric evaluator: one pass over the opportunity store (keyset pages of
/// 1,000) feeds an <see cref="OpportunityScan"/> per period with each deal and its pipeline. Give it to
/// <see cref="MetricEvaluator"/> (the DI registration does when the sales stores are registered) to evaluate the sales
/// metrics of <see cref="StandardMetrics"/>; drill into them with <see cref="MetricEvaluator.StreamOpportunitiesAsync"/>.
/// </summary>
public sealed class OpportunityMetricSource : IMetricRecordSource
{
    /// <summary>The source's name, as the sales metrics' record scope gives it.</summary>
    public const string SourceName = "opportunities";

    private const int PageSize = 1_000;

    private readonly IOpportunityStore _opportunities;
    private readonly ISalesPipelineStore _pipelines;

    /// <summary>Creates the source over the sales stores.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public OpportunityMetricSource(IOpportunityStore opportunities, ISalesPipelineStore pipelines)
    {
        _opportunities = Preconditions.NotNull(opportunities);
        _pipelines = Preconditions.NotNull(pipelines);
    }

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public IReadOnlyCollection<FigureKey> Figures => StandardFigures.FromDeals;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ExchangeRateNotFoundException">A deal's amount has no rate on its date (<c>CRM-MONEY-002</c>).</exception>
    /// <exception cref="InvalidStoredStateException">A deal's pipeline is not stored.</exception>
    public async ValueTask<IReadOnlyList<MetricFigures>> ScanAsync(TenantId tenantId, IReadOnlyList<DateInterval> periods, DateTimeZone zone, CurrencyConverter converter, SegmentSnapshot? segment, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(periods);
        Preconditions.NotNull(zone);
        Preconditions.NotNull(converter);
        var scans = periods.Select(p => new OpportunityScan(p, zone)).ToArray();
        var pipelines = await PipelinesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await foreach (var page in PagesAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            foreach (var deal in page)
            {
                if (segment is not null && !segment.Contains(deal.CustomerId))
                {
                    continue;
                }

                var pipeline = PipelineOf(pipelines, deal);
                foreach (var scan in scans)
                {
                    await scan.AddAsync(deal, pipeline, converter, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return [.. scans.Select(s => s.ToFigures(converter.Target))];
    }

    /// <summary>
    /// Streams the tenant's deals a selection of <see cref="OpportunityScan"/> holds for a period, of a segment's members only when a segment is given (e.g.
    /// <see cref="OpportunityScan.ClosedInPeriod"/>): exactly those the scan counts in the figures of that selection, in id order.
    /// </summary>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default or the selection unknown.</exception>
    public IAsyncEnumerable<Opportunity> StreamAsync(TenantId tenantId, string selection, DateInterval period, DateTimeZone zone, SegmentSnapshot? segment = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(period);
        Preconditions.NotNull(zone);
        OpportunityScan.CheckSelection(selection);
        return Stream(tenantId, new OpportunityScan(period, zone), selection, segment, cancellationToken);
    }

    private async IAsyncEnumerable<Opportunity> Stream(TenantId tenantId, OpportunityScan scan, string selection, SegmentSnapshot? segment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in PagesAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            foreach (var deal in page)
            {
                if ((segment is null || segment.Contains(deal.CustomerId)) && scan.Selects(deal, selection))
                {
                    yield return deal;
                }
            }
        }
    }

    private IAsyncEnumerable<IReadOnlyList<Opportunity>> PagesAsync(TenantId tenantId, CancellationToken cancellationToken)
        => StorePaging.OpportunityPagesAsync((after, ct) => _opportunities.PageAsync(tenantId, after, PageSize, ct), PageSize, cancellationToken);

    private async ValueTask<Dictionary<SalesPipelineId, SalesPipeline>> PipelinesAsync(TenantId tenantId, CancellationToken cancellationToken)
        => (await _pipelines.ListAsync(tenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id);

    private static SalesPipeline PipelineOf(Dictionary<SalesPipelineId, SalesPipeline> pipelines, Opportunity deal)
        => pipelines.TryGetValue(deal.PipelineId, out var pipeline)
            ? pipeline
            : throw new InvalidStoredStateException(nameof(ISalesPipelineStore), deal.Id.ToString(), $"The deal's pipeline {deal.PipelineId} is not stored.");
}
