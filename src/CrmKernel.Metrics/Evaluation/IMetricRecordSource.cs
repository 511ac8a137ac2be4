using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// A process whose records the metrics count besides customers and touchpoints — deals
/// (<see cref="OpportunityMetricSource"/>), later service cases: it scans the tenant's records once for the evaluated
/// periods and produces the figures it names in <see cref="Figures"/> (with rows for a per-stage or per-category
/// breakdown). Give <see cref="MetricEvaluator"/> one per process; implement it to add a process of your own. Metrics over
/// its records name it in their <see cref="MetricRecordScope.ProcessRecords"/>, and its drill-down streams exactly the
/// records it counted.
/// </summary>
/// <remarks>
/// The evaluator asks a source only when the hierarchy reads one of its figures. Without a source for them, those
/// figures are asked of the <see cref="IMetricInputProvider"/> like any other figure the kernel does not scan, and the
/// metrics reading them have no value, saying which figure was not supplied.
/// </remarks>
public interface IMetricRecordSource
{
    /// <summary>The source's name, as its metrics' <see cref="MetricRecordScope.Source"/> gives it (e.g. <c>opportunities</c>).</summary>
    string Name { get; }

    /// <summary>The figures it produces; no two sources of one evaluator produce the same figure.</summary>
    IReadOnlyCollection<FigureKey> Figures { get; }

    /// <summary>Scans the tenant's records once for every period; returns one set of figures per period, in order, in the converter's currency.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="periods">The periods (the evaluated one, and the previous one when compared).</param>
    /// <param name="zone">The reporting zone.</param>
    /// <param name="converter">Converts amounts into the reporting currency.</param>
    /// <param name="segment">When not null, count only the records of this segment's members (<see cref="MetricEvaluationRequest.Segment"/>).</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    ValueTask<IReadOnlyList<MetricFigures>> ScanAsync(TenantId tenantId, IReadOnlyList<DateInterval> periods, DateTimeZone zone, CurrencyConverter converter, SegmentSnapshot? segment, CancellationToken cancellationToken);
}
