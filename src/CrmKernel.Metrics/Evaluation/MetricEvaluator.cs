using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Hierarchy;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// Evaluates a metric hierarchy for a period from the stores: one streaming pass over the customers and their
/// touchpoints feeds the catalogue's scan for the period and for the previous one together, the input provider supplies
/// what the kernel cannot see, and every amount is converted into the reporting currency through the exchange-rate
/// provider (a missing rate stops the evaluation with <see cref="ExchangeRateNotFoundException"/>; nothing is skipped).
/// </summary>
/// <remarks>
/// Customers are read in keyset pages of 1,000; each page's touchpoints up to the look-ahead end are read as compact rows
/// grouped by customer through <see cref="ITouchpointScanStore"/> when the touchpoint store offers it, otherwise in one
/// timeline query regrouped by customer, so memory is bounded by the pages in flight, not by the tenant. The customers
/// are read as compact <see cref="CustomerScanRow"/>s through <see cref="ICustomerScanStore"/> when the customer store
/// offers it, otherwise from snapshot pages; each customer's lifecycle history feeds the request's
/// <see cref="MetricEvaluationRequest.Funnels"/> in the same pass.
/// Up to <see cref="MetricEvaluationRequest.MaxDegreeOfParallelism"/> pages are scanned at once (all cores by default),
/// each worker into its own partial <see cref="MetricScan"/>, merged at the end with <see cref="MetricScan.Merge"/>: the
/// figures equal those of one sequential pass exactly. The evaluation is cancellable and reports its progress through
/// <see cref="MetricEvaluationRequest.Progress"/>.
/// </remarks>
public sealed class MetricEvaluator
{
    private const int CustomerPageSize = TimelineFilter.MaxCustomers;
    private const int TouchpointPageSize = 10_000;

    private static readonly HashSet<FigureKey> ScannedFigures = [.. StandardFigures.Scanned];

    private readonly ICustomerStore _customers;
    private readonly ITouchpointStore _touchpoints;
    private readonly IExchangeRateProvider _rates;
    private readonly IMetricInputProvider? _inputs;
    private readonly IMetricRecordSource[] _sources;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="touchpoints">The touchpoint store.</param>
    /// <param name="rates">The exchange-rate provider for amounts not in the reporting currency.</param>
    /// <param name="inputs">The provider of figures the kernel cannot see; null when there is none (the metrics reading them then have no value).</param>
    /// <param name="sources">
    /// The processes whose records the metrics count besides customers and touchpoints, e.g. an
    /// <see cref="OpportunityMetricSource"/> for the sales metrics; null or empty for none (their figures are then asked of
    /// <paramref name="inputs"/>, and the metrics have no value without them).
    /// </param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="sources"/> holds null, two sources share a name, or two produce the same figure.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxRecordSources"/> sources (<c>CRM-INPUT-001</c>).</exception>
    public MetricEvaluator(ICustomerStore customers, ITouchpointStore touchpoints, IExchangeRateProvider rates, IMetricInputProvider? inputs = null, IEnumerable<IMetricRecordSource>? sources = null)
    {
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _rates = Preconditions.NotNull(rates);
        _inputs = inputs;
        _sources = sources is null ? [] : [.. sources];
        Preconditions.MaxCount(_sources.Length, MaxRecordSources, "record sources", nameof(sources));
        Preconditions.Check(Array.TrueForAll(_sources, s => s is not null), "The record sources hold null.", nameof(sources));
        Preconditions.Check(_sources.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() == _sources.Length, "Two record sources share a name.", nameof(sources));
        var figures = _sources.SelectMany(s => s.Figures).ToList();
        Preconditions.Check(figures.Distinct().Count() == figures.Count && !figures.Any(ScannedFigures.Contains), "Two record sources, or a source and the scan, produce the same figure.", nameof(sources));
    }

    /// <summary>The most record sources one evaluator takes.</summary>
    public const int MaxRecordSources = 16;

    /// <summary>Evaluates <paramref name="hierarchy"/> for the tenant and request.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ExchangeRateNotFoundException">An amount's currency has no rate into the reporting currency on its date (<c>CRM-MONEY-002</c>).</exception>
    /// <exception cref="ArgumentException">A target's at-risk limit lies on the better side of its value.</exception>
    /// <exception cref="MetricHierarchyException">A target names a metric the hierarchy does not define (<c>CRM-METRIC-002</c>).</exception>
    /// <exception cref="InvalidStoredStateException">The store's <see cref="ITouchpointScanStore"/> broke its contract (a customer not asked for, or a customer's rows not contiguous).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async ValueTask<MetricEvaluation> EvaluateAsync(TenantId tenantId, MetricHierarchy hierarchy, MetricEvaluationRequest request, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(hierarchy);
        Preconditions.NotNull(request);
        MetricEvaluation.CheckTargets(hierarchy, request);
        Preconditions.Check(
            request.Segment is null || request.Segment.TenantId == tenantId,
            $"The segment {request.Segment?.Segment} belongs to another tenant than {tenantId}.",
            nameof(request));
        using var activity = EvaluationDiagnostics.Start(tenantId, hierarchy, request);
        try
        {
            var evaluation = await EvaluateCoreAsync(tenantId, hierarchy, request, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("crm.metrics.results", evaluation.Results.Count);
            return evaluation;
        }
        catch (Exception e) when (MetricsTelemetry.Fail(activity, e))
        {
            throw;
        }
    }

    private async ValueTask<MetricEvaluation> EvaluateCoreAsync(TenantId tenantId, MetricHierarchy hierarchy, MetricEvaluationRequest request, CancellationToken cancellationToken)
    {
        var (current, previous) = await ScanAllAsync(tenantId, request, cancellationToken).ConfigureAwait(false);
        var converter = new CurrencyConverter(_rates, request.Currency);
        var scanned = new HashSet<FigureKey>(ScannedFigures);
        scanned.UnionWith(request.Funnels.SelectMany(f => f.Figures));
        var read = hierarchy.Metrics.SelectMany(m => m.Formula.Figures).ToHashSet();
        var figures = current.ToFigures(request.Currency);
        var previousFigures = previous?.ToFigures(request.Currency);
        List<DateInterval> periods = previous is null ? [request.Period] : [request.Period, request.PreviousPeriod];
        foreach (var source in _sources.Where(s => s.Figures.Any(read.Contains)))
        {
            var scans = await source.ScanAsync(tenantId, periods, request.Zone, converter, request.Segment, cancellationToken).ConfigureAwait(false);
            Preconditions.Check(scans.Count == periods.Count, $"The record source '{source.Name}' returned {scans.Count} sets of figures for {periods.Count} periods.", nameof(source));
            figures = figures.With(scans[0]);
            previousFigures = previousFigures?.With(scans[1]);
            scanned.UnionWith(source.Figures);
        }

        // Supplied figures are the tenant's: a per-segment evaluation does not ask for them (their metrics have no value).
        var needed = request.Segment is null ? read.Where(f => !scanned.Contains(f)).Order().ToList() : [];
        figures = figures.With(await InputsAsync(tenantId, needed, request.Period, converter, cancellationToken).ConfigureAwait(false));
        previousFigures = previousFigures?.With(await InputsAsync(tenantId, needed, request.PreviousPeriod, converter, cancellationToken).ConfigureAwait(false));
        return MetricEvaluation.Create(hierarchy, request, figures, previousFigures);
    }

    /// <summary>
    /// Streams the deals behind a sales metric of an evaluation (e.g. <see cref="StandardMetrics.WinRate"/>: the deals
    /// closed in the evaluated period; <see cref="StandardMetrics.PipelineValue"/>: the deals open at its end), exactly those
    /// the metric's figures counted, by the as-of rule of <see cref="OpportunityScan"/>; in id order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="evaluation"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="MetricHierarchyException">The evaluation has no such metric (<c>CRM-METRIC-002</c>).</exception>
    /// <exception cref="NotSupportedException">The metric is not computed from deals, or the evaluator has no <see cref="OpportunityMetricSource"/>.</exception>
    public IAsyncEnumerable<Sales.Opportunity> StreamOpportunitiesAsync(TenantId tenantId, MetricEvaluation evaluation, MetricId metric, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(evaluation);
        var scope = evaluation[metric].Records;
        if (scope?.Source != OpportunityMetricSource.SourceName)
        {
            throw new NotSupportedException($"The metric '{metric}' is not computed from deals.");
        }

        var source = _sources.OfType<OpportunityMetricSource>().FirstOrDefault()
            ?? throw new NotSupportedException($"The evaluator has no {nameof(OpportunityMetricSource)}; the metric '{metric}' had no deals to count.");
        return source.StreamAsync(tenantId, scope.Selection!, evaluation.Request.Period, evaluation.Request.Zone, evaluation.Request.Segment, cancellationToken);
    }

    /// <summary>
    /// Streams the service cases behind a case metric of an evaluation (e.g. <see cref="StandardMetrics.FirstContactResolution"/>:
    /// the cases resolved in the evaluated period; <see cref="StandardMetrics.CaseBacklog"/>: the cases open at its end),
    /// exactly those the metric's figures counted, by the as-of rule of <see cref="CaseScan"/>; in id order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="evaluation"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="MetricHierarchyException">The evaluation has no such metric (<c>CRM-METRIC-002</c>).</exception>
    /// <exception cref="NotSupportedException">The metric is not computed from cases, or the evaluator has no <see cref="CaseMetricSource"/>.</exception>
    public IAsyncEnumerable<Cases.ServiceCase> StreamCasesAsync(TenantId tenantId, MetricEvaluation evaluation, MetricId metric, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(evaluation);
        var scope = evaluation[metric].Records;
        if (scope?.Source != CaseMetricSource.SourceName)
        {
            throw new NotSupportedException($"The metric '{metric}' is not computed from cases.");
        }

        var source = _sources.OfType<CaseMetricSource>().FirstOrDefault()
            ?? throw new NotSupportedException($"The evaluator has no {nameof(CaseMetricSource)}; the metric '{metric}' had no cases to count.");
        return source.StreamAsync(tenantId, scope.Selection!, evaluation.Request.Period, evaluation.Request.Zone, evaluation.Request.Segment, cancellationToken);
    }

    /// <summary>
    /// Streams the touchpoints behind a metric of an evaluation: those of the scope's kinds, functions and direction
    /// that occurred in the evaluated period, customer page by customer page, each page in timeline order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="evaluation"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="MetricHierarchyException">The evaluation has no such metric (<c>CRM-METRIC-002</c>).</exception>
    /// <exception cref="NotSupportedException">The metric is not computed from touchpoints (its records are customers or a process's records, or its figures are inputs).</exception>
    public IAsyncEnumerable<Touchpoint> StreamTouchpointsAsync(TenantId tenantId, MetricEvaluation evaluation, MetricId metric, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(evaluation);
        var scope = evaluation[metric].Records;
        if (scope is null || !scope.IsTouchpoints)
        {
            throw new NotSupportedException($"The metric '{metric}' is not computed from touchpoints; {(scope is null ? "its figures come from the metric input provider" : scope.IsCustomers ? "its records are the customers (CustomerRepository.StreamAsync; for a lifecycle funnel, StreamFunnelCohortAsync)" : $"its records come from the record source '{scope.Source}' (for deals, StreamOpportunitiesAsync; for cases, StreamCasesAsync)")}.");
        }

        var window = new MetricScan(evaluation.Request.Period, evaluation.Request.Zone);
        return Stream(tenantId, scope, window.Start, window.End, evaluation.Request.Segment, cancellationToken);
    }

    /// <summary>
    /// Streams the cohort behind a lifecycle funnel of an evaluation (the drill-down of
    /// <see cref="StandardMetrics.FunnelConversionRate"/> and <see cref="StandardMetrics.LifecycleRecoveryRate"/>): every
    /// customer who entered the funnel's first stage in the evaluated period, with the furthest stage reached before its
    /// end, by the rules of <see cref="LifecycleFunnel"/>; in customer-store order.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public IAsyncEnumerable<FunnelCohortMember> StreamFunnelCohortAsync(TenantId tenantId, MetricEvaluation evaluation, LifecycleFunnel funnel, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(evaluation);
        Preconditions.NotNull(funnel);
        var window = new MetricScan(evaluation.Request.Period, evaluation.Request.Zone);
        return StreamCohort(tenantId, funnel, evaluation.Request.InitialStage, window.Start, window.End, evaluation.Request.Segment, cancellationToken);
    }

    private async IAsyncEnumerable<FunnelCohortMember> StreamCohort(TenantId tenantId, LifecycleFunnel funnel, LifecycleStage initialStage, Instant start, Instant end, SegmentSnapshot? segment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var customers in CustomerPagesAsync(tenantId, segment, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < customers.Count; i++)
            {
                var customer = customers[i];
                var reached = funnel.Reached(customer.CreatedAt, customer.CreatedIn ?? initialStage, customer.StageEntries, start, end, out var joinedAt);
                if (reached >= 0)
                {
                    yield return new FunnelCohortMember(customer.Id, joinedAt, reached, funnel.Stages[reached]);
                }
            }
        }
    }

    private async IAsyncEnumerable<Touchpoint> Stream(TenantId tenantId, MetricRecordScope scope, Instant from, Instant to, SegmentSnapshot? segment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var customers in CustomerPagesAsync(tenantId, segment, cancellationToken).ConfigureAwait(false))
        {
            var filter = new TimelineFilter(customers.Select(c => c.Id), from, to, functions: scope.Functions, kinds: scope.Kinds);
            await foreach (var page in _touchpoints.TimelinePagesAsync(tenantId, filter, TouchpointPageSize, cancellationToken).ConfigureAwait(false))
            {
                foreach (var touchpoint in page)
                {
                    if (scope.Matches(touchpoint))
                    {
                        yield return touchpoint;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The tenant's customer pages in store order, as compact rows: through <see cref="ICustomerScanStore"/> when the
    /// customer store offers it, otherwise snapshot pages turned into rows with <see cref="CustomerScanRow.From"/>. With a
    /// segment, only its members (pages left empty are skipped). The store is paged rather than asked for each member by
    /// id, so a segment costs one membership test per customer.
    /// </summary>
    private IAsyncEnumerable<IReadOnlyList<CustomerScanRow>> CustomerPagesAsync(TenantId tenantId, SegmentSnapshot? segment, CancellationToken cancellationToken)
    {
        var pages = _customers is ICustomerScanStore scanStore
            ? scanStore.CustomerScanPagesAsync(tenantId, CustomerPageSize, cancellationToken)
            : SnapshotRows(_customers.CustomerPagesAsync(tenantId, CustomerPageSize, cancellationToken));
        return segment is null ? pages : MembersOnly(pages, segment);
    }

    private static async IAsyncEnumerable<IReadOnlyList<CustomerScanRow>> SnapshotRows(IAsyncEnumerable<IReadOnlyList<CustomerSnapshot>> pages)
    {
        await foreach (var page in pages.ConfigureAwait(false))
        {
            var rows = new CustomerScanRow[page.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = CustomerScanRow.From(page[i]);
            }

            yield return rows;
        }
    }

    private static async IAsyncEnumerable<IReadOnlyList<CustomerScanRow>> MembersOnly(IAsyncEnumerable<IReadOnlyList<CustomerScanRow>> pages, SegmentSnapshot segment)
    {
        await foreach (var page in pages.ConfigureAwait(false))
        {
            var members = new List<CustomerScanRow>(page.Count);
            foreach (var customer in page)
            {
                if (segment.Contains(customer.Id))
                {
                    members.Add(customer);
                }
            }

            if (members.Count > 0)
            {
                yield return members;
            }
        }
    }

    /// <summary>
    /// Scans every customer page into a partial <see cref="MetricScan"/> pair per worker — up to
    /// <see cref="MetricEvaluationRequest.MaxDegreeOfParallelism"/> pages at once — and merges the partials. Pages are
    /// disjoint sets of whole customers, so the merged figures equal one sequential pass exactly.
    /// </summary>
    private async ValueTask<(MetricScan Current, MetricScan? Previous)> ScanAllAsync(TenantId tenantId, MetricEvaluationRequest request, CancellationToken cancellationToken)
    {
        var workers = new ConcurrentBag<ScanWorker>();
        var progress = new ScanProgress(request.Progress);
        var pages = CustomerPagesAsync(tenantId, request.Segment, cancellationToken);
        if (request.MaxDegreeOfParallelism == 1)
        {
            var worker = new ScanWorker(this, tenantId, request);
            workers.Add(worker);
            await foreach (var page in pages.ConfigureAwait(false))
            {
                progress.Add(page.Count, await worker.PageRowsAsync(page, cancellationToken).ConfigureAwait(false));
            }
        }
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = request.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(pages, options, async (page, token) =>
            {
                // A worker goes back to the pool only after a whole page: one that failed part-way holds a customer begun
                // and not ended, and another page taken before the loop stops must not scan into it.
                var worker = workers.TryTake(out var idle) ? idle : new ScanWorker(this, tenantId, request);
                var scanned = await worker.PageRowsAsync(page, token).ConfigureAwait(false);
                workers.Add(worker);
                progress.Add(page.Count, scanned);
            }).ConfigureAwait(false);
        }

        var current = new MetricScan(request.Period, request.Zone, request.Funnels, request.InitialStage);
        var previous = request.CompareWithPrevious ? new MetricScan(request.PreviousPeriod, request.Zone, request.Funnels, request.InitialStage) : null;
        foreach (var worker in workers)
        {
            current.Merge(worker.Current);
            if (previous is not null)
            {
                previous.Merge(worker.Previous!);
            }
        }

        return (current, previous);
    }

    /// <summary>Counts what the workers scanned and reports it in increasing order.</summary>
    private sealed class ScanProgress(IProgress<MetricEvaluationProgress>? progress)
    {
        private readonly Lock _gate = new();
        private long _customers;
        private long _touchpoints;

        public void Add(long customers, long touchpoints)
        {
            if (progress is null)
            {
                return;
            }

            lock (_gate)
            {
                _customers += customers;
                _touchpoints += touchpoints;
                progress.Report(new MetricEvaluationProgress(_customers, _touchpoints));
            }
        }
    }

    /// <summary>
    /// One worker of the scan: its own partial scans of the period and the previous one, its own currency converter (rates
    /// cached per currency and day; the day of an instant in the reporting zone is cached too) and its own buffers.
    /// It scans one customer page at a time, through <see cref="ITouchpointScanStore"/> when the store offers it,
    /// otherwise from timeline pages regrouped by customer into the same rows.
    /// </summary>
    private sealed class ScanWorker
    {
        private readonly ITouchpointStore _touchpoints;
        private readonly ITouchpointScanStore? _scanStore;
        private readonly TenantId _tenantId;
        private readonly DateTimeZone _zone;
        private readonly Currency _target;
        private readonly CurrencyConverter _converter;
        private readonly Dictionary<ChannelId, int> _channels = [];
        private readonly Dictionary<CustomerId, int> _indexOf = new(CustomerPageSize);
        private readonly List<CustomerId> _ids = new(CustomerPageSize);
        private readonly bool[] _fed = new bool[CustomerPageSize];
        private readonly List<int> _owners = [];
        private readonly List<TouchpointScanRow> _timelineRows = [];
        private readonly int[] _starts = new int[CustomerPageSize + 1];
        private TouchpointScanRow[] _sorted = [];
        private IReadOnlyList<CustomerScanRow> _page = [];
        private CustomerId _open;
        private long _rows;
        private LocalDate _day;
        private Instant _dayStart;
        private Instant _dayEnd;

        public ScanWorker(MetricEvaluator evaluator, TenantId tenantId, MetricEvaluationRequest request)
        {
            _touchpoints = evaluator._touchpoints;
            _scanStore = evaluator._touchpoints as ITouchpointScanStore;
            _tenantId = tenantId;
            _zone = request.Zone;
            _target = request.Currency;
            _converter = new CurrencyConverter(evaluator._rates, request.Currency);
            Current = new MetricScan(request.Period, request.Zone, request.Funnels, request.InitialStage);
            Previous = request.CompareWithPrevious ? new MetricScan(request.PreviousPeriod, request.Zone, request.Funnels, request.InitialStage) : null;
        }

        public MetricScan Current { get; }

        public MetricScan? Previous { get; }

        /// <summary>Scans one page of customers with their touchpoints; returns the number of touchpoints scanned.</summary>
        public async ValueTask<long> PageRowsAsync(IReadOnlyList<CustomerScanRow> customers, CancellationToken cancellationToken)
        {
            _page = customers;
            _indexOf.Clear();
            _ids.Clear();
            for (var i = 0; i < customers.Count; i++)
            {
                _indexOf[customers[i].Id] = i;
                _ids.Add(customers[i].Id);
            }

            Array.Clear(_fed);
            _open = default;
            _rows = 0;
            if (_scanStore is not null)
            {
                await foreach (var batch in _scanStore.StreamRowsByCustomerAsync(_tenantId, _ids, Current.ScanEnd, cancellationToken).ConfigureAwait(false))
                {
                    await FeedAsync(batch, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await FeedAsync(await TimelineRowsAsync(customers, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }

            if (_open != default)
            {
                End();
            }

            for (var i = 0; i < customers.Count; i++)
            {
                if (!_fed[i])
                {
                    Begin(customers[i]);
                    End();
                }
            }

            return _rows;
        }

        /// <summary>Feeds a batch, fetching each missing exchange rate (then cached) where the synchronous loop stops for it.</summary>
        private async ValueTask FeedAsync(ReadOnlyMemory<TouchpointScanRow> batch, CancellationToken cancellationToken)
        {
            var from = 0;
            while ((from = Feed(batch.Span, from, out var missing, out var date)) < batch.Length)
            {
                await _converter.ConvertAsync(missing, date, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Feeds rows from <paramref name="from"/> on; returns the length of <paramref name="rows"/>, or the index of the first
        /// row whose amount needs a rate not cached yet (nothing of that row is fed).
        /// </summary>
        private int Feed(ReadOnlySpan<TouchpointScanRow> rows, int from, out Money missing, out LocalDate date)
        {
            missing = default;
            date = default;
            for (var i = from; i < rows.Length; i++)
            {
                ref readonly var row = ref rows[i];
                decimal? cost = null;
                var revenue = 0m;
                if (row.Cost is { } c)
                {
                    if (!TryConvert(c, row.OccurredAt, out var converted, out date))
                    {
                        missing = c;
                        return i;
                    }

                    cost = converted;
                }

                if (row.Revenue is { } r && !TryConvert(r, row.OccurredAt, out revenue, out date))
                {
                    missing = r;
                    return i;
                }

                if (row.CustomerId != _open)
                {
                    if (!_indexOf.TryGetValue(row.CustomerId, out var index) || _fed[index])
                    {
                        throw new InvalidStoredStateException(nameof(ITouchpointScanStore), row.CustomerId.ToString(), "The scan returned a row of a customer not asked for, or a customer's rows not contiguously.");
                    }

                    if (_open != default)
                    {
                        End();
                    }

                    _fed[index] = true;
                    _open = row.CustomerId;
                    Begin(_page[index]);
                }

                if (!_channels.TryGetValue(row.Channel, out var channel))
                {
                    channel = Current.RegisterChannel(row.Channel);
                    Previous?.RegisterChannel(row.Channel);
                    _channels.Add(row.Channel, channel);
                }

                var fact = new MetricTouchpoint(in row, channel, cost, revenue);
                Current.Add(in fact);
                Previous?.Add(in fact);
                _rows++;
            }

            return rows.Length;
        }

        private bool TryConvert(Money amount, Instant at, out decimal converted, out LocalDate date)
        {
            if (amount.Currency == _target)
            {
                converted = amount.Amount;
                date = default;
                return true;
            }

            if (at < _dayStart || at >= _dayEnd)
            {
                _day = at.InZone(_zone).Date;
                _dayStart = _zone.AtStartOfDay(_day).ToInstant();
                _dayEnd = _zone.AtStartOfDay(_day.PlusDays(1)).ToInstant();
            }

            date = _day;
            return _converter.TryConvertCached(amount, date, out converted);
        }

        /// <summary>The fallback: the page's touchpoints from timeline pages, as rows grouped by customer with a stable counting sort.</summary>
        private async ValueTask<ReadOnlyMemory<TouchpointScanRow>> TimelineRowsAsync(IReadOnlyList<CustomerScanRow> customers, CancellationToken cancellationToken)
        {
            _owners.Clear();
            _timelineRows.Clear();
            var filter = new TimelineFilter(_ids, to: Current.ScanEnd);
            await foreach (var page in _touchpoints.TimelinePagesAsync(_tenantId, filter, TouchpointPageSize, cancellationToken).ConfigureAwait(false))
            {
                foreach (var touchpoint in page)
                {
                    _owners.Add(_indexOf[touchpoint.CustomerId]);
                    _timelineRows.Add(TouchpointScanRow.From(touchpoint));
                }
            }

            if (_sorted.Length < _timelineRows.Count)
            {
                _sorted = new TouchpointScanRow[Math.Max(_timelineRows.Count, _sorted.Length * 2)];
            }

            Array.Clear(_starts);
            foreach (var owner in _owners)
            {
                _starts[owner + 1]++;
            }

            for (var i = 1; i <= customers.Count; i++)
            {
                _starts[i] += _starts[i - 1];
            }

            var rows = CollectionsMarshal.AsSpan(_timelineRows);
            var owners = CollectionsMarshal.AsSpan(_owners);
            for (var i = 0; i < rows.Length; i++)
            {
                _sorted[_starts[owners[i]]++] = rows[i];
            }

            return _sorted.AsMemory(0, rows.Length);
        }

        private void Begin(in CustomerScanRow customer)
        {
            var facts = CustomerFacts.Of(in customer);
            Current.BeginCustomer(facts);
            Current.AddLifecycle(in customer);
            if (Previous is not null)
            {
                Previous.BeginCustomer(facts);
                Previous.AddLifecycle(in customer);
            }
        }

        private void End()
        {
            Current.EndCustomer();
            Previous?.EndCustomer();
        }
    }

    private async ValueTask<Dictionary<FigureKey, decimal>> InputsAsync(TenantId tenantId, List<FigureKey> needed, DateInterval period, CurrencyConverter converter, CancellationToken cancellationToken)
    {
        var values = new Dictionary<FigureKey, decimal>();
        if (_inputs is null)
        {
            return values;
        }

        foreach (var figure in needed)
        {
            var input = await _inputs.FindAsync(tenantId, figure, period, cancellationToken).ConfigureAwait(false);
            if (input is not null)
            {
                values[figure] = input.Amount is { } amount
                    ? (await converter.ConvertAsync(amount, period.End, cancellationToken).ConfigureAwait(false)).Amount
                    : input.Value;
            }
        }

        return values;
    }
}
