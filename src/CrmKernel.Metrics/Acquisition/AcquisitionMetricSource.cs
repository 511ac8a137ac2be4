using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Evaluation;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// The tenant's acquisition journeys as a record source of the metric evaluator: per period, one
/// <see cref="AcquisitionAnalysis"/> pass (all products, all customers) gives the figures of
/// <see cref="StandardFigures.FromAcquisition"/>, which <see cref="StandardMetrics.ProspectConversionRate"/>,
/// <see cref="StandardMetrics.JourneyAcquisitionCost"/> and <see cref="StandardMetrics.CommunicationsPerConversion"/> read.
/// The DI registration (<c>AddMetrics</c>) gives it to the evaluator; drill into its metrics with <see cref="StreamAsync"/>.
/// For the product × segment × channel breakdown, run the analysis itself.
/// </summary>
/// <remarks>Its pass is a second one over the customers and their timelines, made only when an evaluated hierarchy reads its figures.</remarks>
public sealed class AcquisitionMetricSource : IMetricRecordSource
{
    /// <summary>The source's name, as the acquisition metrics' record scope gives it.</summary>
    public const string SourceName = "acquisition";

    /// <summary>The selection of the prospects reached in the period (the conversion rate's records).</summary>
    public const string Reached = "reached";

    /// <summary>The selection of the prospects reached and converted in the period (the cost and communications per conversion's records).</summary>
    public const string Converted = "converted";

    private readonly ICustomerStore _customers;
    private readonly ITouchpointStore _touchpoints;

    /// <summary>Creates the source over the customer and touchpoint stores.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AcquisitionMetricSource(ICustomerStore customers, ITouchpointStore touchpoints)
    {
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
    }

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public IReadOnlyCollection<FigureKey> Figures => StandardFigures.FromAcquisition;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ExchangeRateNotFoundException">A cost has no rate on its date (<c>CRM-MONEY-002</c>).</exception>
    public async ValueTask<IReadOnlyList<MetricFigures>> ScanAsync(TenantId tenantId, IReadOnlyList<DateInterval> periods, DateTimeZone zone, CurrencyConverter converter, SegmentSnapshot? segment, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(periods);
        Preconditions.NotNull(zone);
        Preconditions.NotNull(converter);
        var figures = new List<MetricFigures>(periods.Count);
        foreach (var period in periods)
        {
            // Per segment, the segment's all-products group: the same figures over its members only (absent when none was reached).
            var request = new AcquisitionRequest(period, zone, converter.Target) { Segments = segment is null ? [] : [segment] };
            var scan = new AcquisitionScan(request, converter);
            await AcquisitionAnalysis.RunAsync(_customers, _touchpoints, tenantId, scan, cancellationToken).ConfigureAwait(false);
            var report = scan.ToReport();
            var total = segment is null ? report.Total : report.Find(new AcquisitionGroupKey(null, segment.Segment));
            figures.Add(new MetricFigures(converter.Target, new Dictionary<FigureKey, decimal>
            {
                [StandardFigures.ProspectsReached] = total?.Reached ?? 0,
                [StandardFigures.ProspectsConverted] = total?.Converted ?? 0,
                [StandardFigures.JourneyCommunications] = total?.Communications ?? 0,
                [StandardFigures.JourneyAcquisitionCost] = total?.AcquisitionCost ?? 0m,
                [StandardFigures.ProspectSpend] = total?.ProspectSpend ?? 0m,
            }, []));
        }

        return figures;
    }

    /// <summary>
    /// Streams the journeys behind an acquisition metric for a period: <see cref="Reached"/> every prospect reached,
    /// <see cref="Converted"/> those of them converted — exactly those the figures counted, in customer-store order, with
    /// costs in <paramref name="currency"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, the selection unknown or the currency XXX.</exception>
    /// <exception cref="ExchangeRateNotFoundException">A cost has no rate on its date (<c>CRM-MONEY-002</c>).</exception>
    public IAsyncEnumerable<AcquisitionJourney> StreamAsync(TenantId tenantId, string selection, DateInterval period, DateTimeZone zone, Currency currency, IExchangeRateProvider rates, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(selection);
        Preconditions.NotNull(period);
        Preconditions.NotNull(zone);
        Preconditions.NotNull(rates);
        Preconditions.Check(selection is Reached or Converted, $"The selection is '{Reached}' or '{Converted}'.", nameof(selection));
        var request = new AcquisitionRequest(period, zone, currency);
        return Stream(new AcquisitionAnalysis(_customers, _touchpoints, rates).StreamGroupAsync(tenantId, request, AcquisitionGroupKey.Total, cancellationToken), selection == Converted, cancellationToken);
    }

    private static async IAsyncEnumerable<AcquisitionJourney> Stream(IAsyncEnumerable<AcquisitionJourney> journeys, bool converted, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var journey in journeys.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // The group also holds the direct conversions, which neither figure counts.
            if (journey.Communications.Count > 0 && (!converted || journey.Converted))
            {
                yield return journey;
            }
        }
    }
}
