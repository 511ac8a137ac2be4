using System.Runtime.CompilerServices;
using CrmKernel.Calendars;
using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// The tenant's service cases as a record source of the metric evaluator: one pass over the case store (keyset pages
/// of 1,000) feeds a <see cref="CaseScan"/> per period with each case and its SLA policy. Give it to
/// <see cref="MetricEvaluator"/> (the DI registration does when a case store is registered, with the registered
/// <see cref="SlaPolicy"/> singletons and <see cref="BusinessCalendar"/>, if any) to evaluate the service metrics of
/// <see cref="StandardMetrics"/>; drill into them with <see cref="MetricEvaluator.StreamCasesAsync"/>.
/// </summary>
/// <remarks>
/// Policies are looked up by the case's <see cref="ServiceCase.SlaPolicy"/> name among those given here. A case without
/// one, or naming one not given, has its business time counted on the default calendar and is left out of the SLA
/// figures. The default calendar, when none is given, is all day every day (<see cref="WorkingHours.AllDay"/>): elapsed time.
/// </remarks>
public sealed class CaseMetricSource : IMetricRecordSource
{
    /// <summary>The source's name, as the service metrics' record scope gives it.</summary>
    public const string SourceName = "cases";

    /// <summary>The most SLA policies one source holds.</summary>
    public const int MaxPolicies = 1000;

    private const int PageSize = 1_000;

    private readonly ICaseStore _cases;
    private readonly Dictionary<string, SlaPolicy> _policies;

    /// <summary>Creates the source over the case store.</summary>
    /// <param name="cases">The case store.</param>
    /// <param name="policies">The SLA policies the cases name; null for none.</param>
    /// <param name="defaultCalendar">The business calendar of cases without a known policy; null for all day every day.</param>
    /// <exception cref="ArgumentNullException"><paramref name="cases"/> is null.</exception>
    /// <exception cref="ArgumentException">The policies hold null or two of one name.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxPolicies"/> policies (<c>CRM-INPUT-001</c>).</exception>
    public CaseMetricSource(ICaseStore cases, IEnumerable<SlaPolicy>? policies = null, BusinessCalendar? defaultCalendar = null)
    {
        _cases = Preconditions.NotNull(cases);
        var list = policies?.ToList() ?? [];
        Preconditions.MaxCount(list.Count, MaxPolicies, "SLA policies", nameof(policies));
        Preconditions.Check(list.TrueForAll(p => p is not null), "The policies hold null.", nameof(policies));
        Preconditions.Check(list.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() == list.Count, "Two policies share a name.", nameof(policies));
        _policies = list.ToDictionary(p => p.Name, StringComparer.Ordinal);
        DefaultCalendar = defaultCalendar ?? new BusinessCalendar(DateTimeZone.Utc, WorkingHours.AllDay(), []);
    }

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public IReadOnlyCollection<FigureKey> Figures => StandardFigures.FromCases;

    /// <summary>The business calendar of cases without a known policy.</summary>
    public BusinessCalendar DefaultCalendar { get; }

    /// <summary>The policy a case names, when this source knows it; null otherwise.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="serviceCase"/> is null.</exception>
    public SlaPolicy? PolicyOf(ServiceCase serviceCase)
        => Preconditions.NotNull(serviceCase).SlaPolicy is { } name && _policies.TryGetValue(name, out var policy) ? policy : null;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public async ValueTask<IReadOnlyList<MetricFigures>> ScanAsync(TenantId tenantId, IReadOnlyList<DateInterval> periods, DateTimeZone zone, CurrencyConverter converter, SegmentSnapshot? segment, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(periods);
        Preconditions.NotNull(zone);
        Preconditions.NotNull(converter);
        var scans = periods.Select(p => new CaseScan(p, zone, DefaultCalendar)).ToArray();
        await foreach (var page in PagesAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            foreach (var serviceCase in page)
            {
                if (segment is not null && !segment.Contains(serviceCase.CustomerId))
                {
                    continue;
                }

                var policy = PolicyOf(serviceCase);
                foreach (var scan in scans)
                {
                    scan.Add(serviceCase, policy);
                }
            }
        }

        return [.. scans.Select(s => s.ToFigures(converter.Target))];
    }

    /// <summary>
    /// Streams the tenant's cases a selection of <see cref="CaseScan"/> holds for a period, of a segment's members only when a segment is given (e.g.
    /// <see cref="CaseScan.ResolvedInPeriod"/>): exactly those the scan counts in the figures of that selection, in id order.
    /// </summary>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default or the selection unknown.</exception>
    public IAsyncEnumerable<ServiceCase> StreamAsync(TenantId tenantId, string selection, DateInterval period, DateTimeZone zone, SegmentSnapshot? segment = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(period);
        Preconditions.NotNull(zone);
        CaseScan.CheckSelection(selection);
        return Stream(tenantId, new CaseScan(period, zone, DefaultCalendar), selection, segment, cancellationToken);
    }

    private async IAsyncEnumerable<ServiceCase> Stream(TenantId tenantId, CaseScan scan, string selection, SegmentSnapshot? segment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in PagesAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            foreach (var serviceCase in page)
            {
                if ((segment is null || segment.Contains(serviceCase.CustomerId)) && scan.Selects(serviceCase, PolicyOf(serviceCase), selection))
                {
                    yield return serviceCase;
                }
            }
        }
    }

    private IAsyncEnumerable<IReadOnlyList<ServiceCase>> PagesAsync(TenantId tenantId, CancellationToken cancellationToken)
        => StorePaging.CasePagesAsync((after, ct) => _cases.PageAsync(tenantId, after, PageSize, ct), PageSize, cancellationToken);
}
