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
/// Customers are read in keyset pages of 1,000; each page's touchpoints up to the look-ahead end are read grouped by
/// customer through <see cref="ITouchpointScanStore"/> when the touchpoint store offers it, otherwise in one timeline
/// query regrouped by customer, so memory is bounded by the largest page, not by the tenant. Each customer's lifecycle
/// history (on the snapshot) feeds the request's <see cref="MetricEvaluationRequest.Funnels"/> in the same pass.
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

    /// <summary>Creates the evaluator.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="touchpoints">The touchpoint store.</param>
    /// <param name="rates">The exchange-rate provider for amounts not in the reporting currency.</param>
    /// <param name="inputs">The provider of figures the kernel cannot see; null when there is none (the metrics reading them then have no value).</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public MetricEvaluator(ICustomerStore customers, ITouchpointStore touchpoints, IExchangeRateProvider rates, IMetricInputProvider? inputs = null)
    {
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _rates = Preconditions.NotNull(rates);
        _inputs = inputs;
    }

    /// <summary>Evaluates <paramref name="hierarchy"/> for the tenant and request.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ExchangeRateNotFoundException">An amount's currency has no rate into the reporting currency on its date (<c>CRM-MONEY-002</c>).</exception>
    /// <exception cref="ArgumentException">A target's at-risk limit lies on the better side of its value.</exception>
    /// <exception cref="MetricHierarchyException">A target names a metric the hierarchy does not define (<c>CRM-METRIC-002</c>).</exception>
    /// <exception cref="InvalidStoredStateException">The store's <see cref="ITouchpointScanStore"/> broke its contract (a customer not asked for, or a customer's touchpoints not contiguous).</exception>
    public async ValueTask<MetricEvaluation> EvaluateAsync(TenantId tenantId, MetricHierarchy hierarchy, MetricEvaluationRequest request, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(hierarchy);
        Preconditions.NotNull(request);
        MetricEvaluation.CheckTargets(hierarchy, request);
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
        var converter = new CurrencyConverter(_rates, request.Currency);
        var current = new MetricScan(request.Period, request.Zone, request.Funnels, request.InitialStage);
        var previous = request.CompareWithPrevious ? new MetricScan(request.PreviousPeriod, request.Zone, request.Funnels, request.InitialStage) : null;
        if (_touchpoints is ITouchpointScanStore scanStore)
        {
            await ScanGroupedAsync(tenantId, scanStore, current, previous, converter, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ScanAsync(tenantId, current, previous, converter, cancellationToken).ConfigureAwait(false);
        }

        var scanned = new HashSet<FigureKey>(ScannedFigures);
        scanned.UnionWith(request.Funnels.SelectMany(f => f.Figures));
        var needed = hierarchy.Metrics.SelectMany(m => m.Formula.Figures).Where(f => !scanned.Contains(f)).Distinct().Order().ToList();
        var figures = current.ToFigures(request.Currency).With(await InputsAsync(tenantId, needed, request.Period, converter, cancellationToken).ConfigureAwait(false));
        var previousFigures = previous is null
            ? null
            : previous.ToFigures(request.Currency).With(await InputsAsync(tenantId, needed, request.PreviousPeriod, converter, cancellationToken).ConfigureAwait(false));
        return MetricEvaluation.Create(hierarchy, request, figures, previousFigures);
    }

    /// <summary>
    /// Streams the touchpoints behind a metric of an evaluation: those of the scope's kinds, functions and direction
    /// that occurred in the evaluated period, customer page by customer page, each page in timeline order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="evaluation"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="MetricHierarchyException">The evaluation has no such metric (<c>CRM-METRIC-002</c>).</exception>
    /// <exception cref="NotSupportedException">The metric is not computed from touchpoints (its records are customers, or its figures are inputs).</exception>
    public IAsyncEnumerable<Touchpoint> StreamTouchpointsAsync(TenantId tenantId, MetricEvaluation evaluation, MetricId metric, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(evaluation);
        var scope = evaluation[metric].Records;
        if (scope is null || scope.IsCustomers)
        {
            throw new NotSupportedException($"The metric '{metric}' is not computed from touchpoints; {(scope is null ? "its figures come from the metric input provider" : "its records are the customers (CustomerRepository.StreamAsync; for a lifecycle funnel, StreamFunnelCohortAsync)")}.");
        }

        var window = new MetricScan(evaluation.Request.Period, evaluation.Request.Zone);
        return Stream(tenantId, scope, window.Start, window.End, cancellationToken);
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
        return StreamCohort(tenantId, funnel, evaluation.Request.InitialStage, window.Start, window.End, cancellationToken);
    }

    private async IAsyncEnumerable<FunnelCohortMember> StreamCohort(TenantId tenantId, LifecycleFunnel funnel, LifecycleStage initialStage, Instant start, Instant end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var customers in _customers.CustomerPagesAsync(tenantId, CustomerPageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var customer in customers)
            {
                var history = customer.LifecycleHistory;
                var reached = funnel.Reached(customer.CreatedAt, history.Count > 0 ? history[0].From : initialStage, history, start, end, out var joinedAt);
                if (reached >= 0)
                {
                    yield return new FunnelCohortMember(customer.Id, joinedAt, reached, funnel.Stages[reached]);
                }
            }
        }
    }

    private async IAsyncEnumerable<Touchpoint> Stream(TenantId tenantId, MetricRecordScope scope, Instant from, Instant to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var customers in _customers.CustomerPagesAsync(tenantId, CustomerPageSize, cancellationToken).ConfigureAwait(false))
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

    private async ValueTask ScanAsync(TenantId tenantId, MetricScan current, MetricScan? previous, CurrencyConverter converter, CancellationToken cancellationToken)
    {
        var channels = new Dictionary<ChannelId, int>();
        var indexOf = new Dictionary<CustomerId, int>(CustomerPageSize);
        var owners = new List<int>();
        var facts = new List<MetricTouchpoint>();
        var sorted = Array.Empty<MetricTouchpoint>();
        var starts = new int[CustomerPageSize + 1];
        var zone = current.Zone;
        await foreach (var customers in _customers.CustomerPagesAsync(tenantId, CustomerPageSize, cancellationToken).ConfigureAwait(false))
        {
            indexOf.Clear();
            for (var i = 0; i < customers.Count; i++)
            {
                indexOf[customers[i].Id] = i;
            }

            owners.Clear();
            facts.Clear();
            var filter = new TimelineFilter(indexOf.Keys, to: current.ScanEnd);
            await foreach (var page in _touchpoints.TimelinePagesAsync(tenantId, filter, TouchpointPageSize, cancellationToken).ConfigureAwait(false))
            {
                foreach (var touchpoint in page)
                {
                    if (!channels.TryGetValue(touchpoint.Channel, out var channel))
                    {
                        channel = current.RegisterChannel(touchpoint.Channel);
                        previous?.RegisterChannel(touchpoint.Channel);
                        channels.Add(touchpoint.Channel, channel);
                    }

                    decimal? cost = touchpoint.Cost is { } c ? await ConvertAsync(converter, c, touchpoint.OccurredAt, zone, cancellationToken).ConfigureAwait(false) : null;
                    var revenue = touchpoint.Revenue is { } r ? await ConvertAsync(converter, r, touchpoint.OccurredAt, zone, cancellationToken).ConfigureAwait(false) : 0m;
                    owners.Add(indexOf[touchpoint.CustomerId]);
                    facts.Add(MetricTouchpoint.From(touchpoint, channel, cost, revenue));
                }
            }

            // Group by customer with a stable counting sort, keeping each customer's touchpoints in time order.
            if (sorted.Length < facts.Count)
            {
                sorted = new MetricTouchpoint[Math.Max(facts.Count, sorted.Length * 2)];
            }

            Array.Clear(starts);
            foreach (var owner in owners)
            {
                starts[owner + 1]++;
            }

            for (var i = 1; i <= customers.Count; i++)
            {
                starts[i] += starts[i - 1];
            }

            var next = starts.AsSpan(0, customers.Count).ToArray();
            var factSpan = CollectionsMarshal.AsSpan(facts);
            var ownerSpan = CollectionsMarshal.AsSpan(owners);
            for (var i = 0; i < factSpan.Length; i++)
            {
                sorted[next[ownerSpan[i]]++] = factSpan[i];
            }

            for (var i = 0; i < customers.Count; i++)
            {
                Begin(customers[i], current, previous);
                for (var k = starts[i]; k < starts[i + 1]; k++)
                {
                    current.Add(in sorted[k]);
                    previous?.Add(in sorted[k]);
                }

                current.EndCustomer();
                previous?.EndCustomer();
            }
        }
    }

    /// <summary>
    /// The scan through <see cref="ITouchpointScanStore"/>: each page's touchpoints arrive grouped by customer, so they
    /// are fed to the scans as they come, with no merge by time and no regrouping; customers with no touchpoints are fed
    /// after the page's stream.
    /// </summary>
    private async ValueTask ScanGroupedAsync(TenantId tenantId, ITouchpointScanStore store, MetricScan current, MetricScan? previous, CurrencyConverter converter, CancellationToken cancellationToken)
    {
        var channels = new Dictionary<ChannelId, int>();
        var indexOf = new Dictionary<CustomerId, int>(CustomerPageSize);
        var ids = new List<CustomerId>(CustomerPageSize);
        var fed = new bool[CustomerPageSize];
        var zone = current.Zone;
        await foreach (var customers in _customers.CustomerPagesAsync(tenantId, CustomerPageSize, cancellationToken).ConfigureAwait(false))
        {
            indexOf.Clear();
            ids.Clear();
            for (var i = 0; i < customers.Count; i++)
            {
                indexOf[customers[i].Id] = i;
                ids.Add(customers[i].Id);
            }

            Array.Clear(fed);
            var open = default(CustomerId);
            await foreach (var touchpoint in store.StreamByCustomerAsync(tenantId, ids, current.ScanEnd, cancellationToken).ConfigureAwait(false))
            {
                if (touchpoint.CustomerId != open)
                {
                    if (!indexOf.TryGetValue(touchpoint.CustomerId, out var index) || fed[index])
                    {
                        throw new InvalidStoredStateException(nameof(ITouchpointScanStore), touchpoint.Id.ToString(), "The scan returned a touchpoint of a customer not asked for, or a customer's touchpoints not contiguously.");
                    }

                    if (open != default)
                    {
                        End(current, previous);
                    }

                    fed[index] = true;
                    open = touchpoint.CustomerId;
                    Begin(customers[index], current, previous);
                }

                if (!channels.TryGetValue(touchpoint.Channel, out var channel))
                {
                    channel = current.RegisterChannel(touchpoint.Channel);
                    previous?.RegisterChannel(touchpoint.Channel);
                    channels.Add(touchpoint.Channel, channel);
                }

                decimal? cost = touchpoint.Cost is { } c ? await ConvertAsync(converter, c, touchpoint.OccurredAt, zone, cancellationToken).ConfigureAwait(false) : null;
                var revenue = touchpoint.Revenue is { } r ? await ConvertAsync(converter, r, touchpoint.OccurredAt, zone, cancellationToken).ConfigureAwait(false) : 0m;
                var fact = MetricTouchpoint.From(touchpoint, channel, cost, revenue);
                current.Add(in fact);
                previous?.Add(in fact);
            }

            if (open != default)
            {
                End(current, previous);
            }

            for (var i = 0; i < customers.Count; i++)
            {
                if (!fed[i])
                {
                    Begin(customers[i], current, previous);
                    End(current, previous);
                }
            }
        }
    }

    private static void Begin(CustomerSnapshot customer, MetricScan current, MetricScan? previous)
    {
        var facts = CustomerFacts.Of(customer);
        current.BeginCustomer(facts);
        current.AddLifecycle(customer.CreatedAt, customer.LifecycleHistory);
        if (previous is not null)
        {
            previous.BeginCustomer(facts);
            previous.AddLifecycle(customer.CreatedAt, customer.LifecycleHistory);
        }
    }

    private static void End(MetricScan current, MetricScan? previous)
    {
        current.EndCustomer();
        previous?.EndCustomer();
    }

    private static async ValueTask<decimal> ConvertAsync(CurrencyConverter converter, Money amount, Instant at, DateTimeZone zone, CancellationToken cancellationToken)
    {
        if (amount.Currency == converter.Target)
        {
            return amount.Amount;
        }

        var date = at.InZone(zone).Date;
        return converter.TryConvertCached(amount, date, out var converted)
            ? converted
            : (await converter.ConvertAsync(amount, date, cancellationToken).ConfigureAwait(false)).Amount;
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
