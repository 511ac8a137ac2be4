using System.Runtime.CompilerServices;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Profitability;

/// <summary>
/// Channel-mix profitability per customer and per segment: revenue, cost to serve by channel (recorded touchpoint costs
/// plus the <see cref="ChannelCostModel"/>'s per-contact cost), margin, the channel mix, and the same customers' margin
/// under a <see cref="ChannelMixScenario"/> — so that the customers unprofitable under the mix they use but profitable
/// under another (<see cref="StreamRecoverableAsync"/>) can be found and moved, not dropped.
/// </summary>
/// <remarks>
/// <para>One pass: customers in keyset pages of 1,000, each page's touchpoints in the period as compact rows grouped by
/// customer (<see cref="ITouchpointScanStore"/> when the store offers it, otherwise one timeline query per page regrouped),
/// so memory is bounded by a page. Every amount is converted into the reporting currency at the rate of its touchpoint's
/// day in the reporting zone (a missing rate stops the report with <see cref="ExchangeRateNotFoundException"/>).</para>
/// <para>Rules: revenue = the touchpoints' revenue (any kind; a refund recorded as negative revenue lowers it); cost to
/// serve = recorded cost + the model's rate per contact by channel, function and direction; margin = revenue × gross-margin
/// ratio − cost to serve; unprofitable = margin below zero. A scenario re-prices only the modelled cost; revenue and
/// recorded costs stay.</para>
/// </remarks>
public sealed class ChannelProfitabilityReport
{
    private const int PageSize = TimelineFilter.MaxCustomers;
    private const int TouchpointPageSize = 10_000;

    private readonly ICustomerStore _customers;
    private readonly ITouchpointStore _touchpoints;
    private readonly IExchangeRateProvider _rates;

    /// <summary>Creates the report over the stores.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="touchpoints">The touchpoint store.</param>
    /// <param name="rates">The exchange rates for amounts not in the reporting currency.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ChannelProfitabilityReport(ICustomerStore customers, ITouchpointStore touchpoints, IExchangeRateProvider rates)
    {
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _rates = Preconditions.NotNull(rates);
    }

    /// <summary>The all-customers row and one row per requested segment.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or a segment belongs to another tenant.</exception>
    /// <exception cref="ExchangeRateNotFoundException">An amount's currency has no rate on its day (<c>CRM-MONEY-002</c>).</exception>
    /// <exception cref="InvalidStoredStateException">The touchpoint scan store broke its contract (a customer's rows not contiguous).</exception>
    public async ValueTask<ChannelProfitabilityResult> RunAsync(TenantId tenantId, ChannelProfitabilityRequest request, CancellationToken cancellationToken = default)
    {
        Check(tenantId, request);
        return await RunWithAsync(tenantId, request, new CurrencyConverter(_rates, request.Currency), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The report with a converter the caller owns (the metric source's, shared with the evaluation).</summary>
    internal async ValueTask<ChannelProfitabilityResult> RunWithAsync(TenantId tenantId, ChannelProfitabilityRequest request, CurrencyConverter converter, CancellationToken cancellationToken)
    {
        var all = new SegmentProfitability(null);
        var segments = request.Segments.Select(s => new SegmentProfitability(s)).ToArray();
        await foreach (var customer in Compute(tenantId, request, converter, cancellationToken).ConfigureAwait(false))
        {
            all.Add(customer);
            foreach (var row in segments)
            {
                if (row.Snapshot!.Contains(customer.Customer))
                {
                    row.Add(customer);
                }
            }
        }

        return new ChannelProfitabilityResult(request, all, segments);
    }

    /// <summary>Every customer's figures (the drill-down), in customer-store order; customers with no touchpoint in the period have zeros.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or a segment belongs to another tenant.</exception>
    public IAsyncEnumerable<CustomerChannelProfit> StreamCustomersAsync(TenantId tenantId, ChannelProfitabilityRequest request, CancellationToken cancellationToken = default)
    {
        Check(tenantId, request);
        return Compute(tenantId, request, new CurrencyConverter(_rates, request.Currency), cancellationToken);
    }

    /// <summary>
    /// The customers unprofitable under their current mix but profitable (margin zero or more) under the request's scenario,
    /// of one segment or all, ordered by <see cref="CustomerChannelProfit.Gain"/> (largest first; ties by customer id), with
    /// the figures behind each. Only these customers are held in memory while the pass runs.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="request">The request; it needs a scenario.</param>
    /// <param name="segment">A segment of the request, or null for all customers.</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, the request has no scenario, or the segment is not one of the request's.</exception>
    public IAsyncEnumerable<CustomerChannelProfit> StreamRecoverableAsync(TenantId tenantId, ChannelProfitabilityRequest request, SegmentId? segment = null, CancellationToken cancellationToken = default)
    {
        Check(tenantId, request);
        Preconditions.Check(request.Scenario is not null, "Give the request a scenario to compare the current mix with.", nameof(request));
        var snapshot = segment is { } id
            ? request.Segments.FirstOrDefault(s => s.Segment == id) ?? throw new ArgumentException($"The request has no segment '{id}'.", nameof(segment))
            : null;
        return Recoverable(tenantId, request, snapshot, cancellationToken);
    }

    private static void Check(TenantId tenantId, ChannelProfitabilityRequest request)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(request);
        var foreign = request.Segments.FirstOrDefault(s => s.TenantId != tenantId);
        Preconditions.Check(foreign is null, $"The segment '{foreign?.Segment}' belongs to another tenant.", nameof(request));
    }

    private async IAsyncEnumerable<CustomerChannelProfit> Recoverable(TenantId tenantId, ChannelProfitabilityRequest request, SegmentSnapshot? segment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var found = new List<CustomerChannelProfit>();
        await foreach (var customer in Compute(tenantId, request, new CurrencyConverter(_rates, request.Currency), cancellationToken).ConfigureAwait(false))
        {
            if (customer.IsRecoverable && (segment is null || segment.Contains(customer.Customer)))
            {
                found.Add(customer);
            }
        }

        found.Sort((a, b) => b.Gain.CompareTo(a.Gain) is var byGain && byGain != 0 ? byGain : a.Customer.CompareTo(b.Customer));
        foreach (var customer in found)
        {
            yield return customer;
        }
    }

    private async IAsyncEnumerable<CustomerChannelProfit> Compute(TenantId tenantId, ChannelProfitabilityRequest request, CurrencyConverter converter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var costing = new CustomerCosting(request, converter);
        var done = new Dictionary<CustomerId, CustomerChannelProfit>(PageSize);
        var ids = new List<CustomerId>(PageSize);
        var grouped = new Dictionary<CustomerId, List<TouchpointScanRow>>();
        await foreach (var page in _customers.CustomerPagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
        {
            done.Clear();
            ids.Clear();
            ids.AddRange(page.Select(c => c.Id));
            if (_touchpoints is ITouchpointScanStore scanStore)
            {
                var open = default(CustomerId);
                await foreach (var batch in scanStore.StreamRowsByCustomerAsync(tenantId, ids, request.End, cancellationToken).ConfigureAwait(false))
                {
                    for (var i = 0; i < batch.Length; i++)
                    {
                        var row = batch.Span[i];
                        if (row.OccurredAt < request.Start)
                        {
                            continue;
                        }

                        if (row.CustomerId != open)
                        {
                            if (open != default)
                            {
                                done.Add(open, costing.End(open));
                            }

                            if (done.ContainsKey(row.CustomerId))
                            {
                                throw new InvalidStoredStateException(nameof(ITouchpointScanStore), row.CustomerId.ToString(), "The scan returned a customer's rows not contiguously.");
                            }

                            open = row.CustomerId;
                        }

                        if (!costing.TryAdd(in row))
                        {
                            await costing.LoadRateAsync(row, cancellationToken).ConfigureAwait(false);
                            costing.TryAdd(in row);
                        }
                    }
                }

                if (open != default)
                {
                    done.Add(open, costing.End(open));
                }
            }
            else
            {
                grouped.Clear();
                var filter = new TimelineFilter(ids, request.Start, request.End);
                await foreach (var touchpoints in _touchpoints.TimelinePagesAsync(tenantId, filter, TouchpointPageSize, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var touchpoint in touchpoints)
                    {
                        if (!grouped.TryGetValue(touchpoint.CustomerId, out var rows))
                        {
                            grouped[touchpoint.CustomerId] = rows = [];
                        }

                        rows.Add(TouchpointScanRow.From(touchpoint));
                    }
                }

                foreach (var (customer, rows) in grouped)
                {
                    foreach (var row in rows)
                    {
                        if (!costing.TryAdd(in row))
                        {
                            await costing.LoadRateAsync(row, cancellationToken).ConfigureAwait(false);
                            costing.TryAdd(in row);
                        }
                    }

                    done.Add(customer, costing.End(customer));
                }
            }

            foreach (var customer in page)
            {
                yield return done.TryGetValue(customer.Id, out var profit) ? profit : costing.End(customer.Id);
            }
        }
    }
}
