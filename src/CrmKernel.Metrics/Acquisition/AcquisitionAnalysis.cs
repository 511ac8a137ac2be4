using System.Runtime.CompilerServices;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Acquisition;

/// <summary>
/// How prospects become customers, by product × segment × channel: one pass over the customer store and each page's
/// timelines counts, per group, the prospects reached and converted, the communications and their cost before the first
/// purchase and the time it took, and per channel the same figures credited under the request's attribution rule. Use it
/// to see what it takes to win a first purchase, and drill from any group or cell to the customers and touchpoints
/// behind it. The catalogue's acquisition metrics read the same figures through <see cref="AcquisitionMetricSource"/>.
/// </summary>
/// <remarks>
/// <para>The rules (docs/acquisition.md gives them with a worked example):</para>
/// <list type="bullet">
/// <item>A <b>prospect</b> is a customer in the request's prospect stage at the window start (by their lifecycle history;
/// no history means never left it) with no purchase touchpoint before the window start. A customer whose first purchase
/// came before the window is not a prospect and counts nowhere.</item>
/// <item>A <b>communication</b> is a marketing- or sales-function touchpoint that is not a purchase, in either direction.
/// The <b>journey</b> is the prospect's communications in the window strictly before the first purchase (one at the same
/// instant is not before it), in timeline order (occurred-at, then id).</item>
/// <item><b>Reached</b>: the journey is not empty. <b>Converted</b>: reached, and the first purchase touchpoint ever falls
/// in the window. A first purchase in the window with no communication before it is a <b>direct conversion</b>: counted
/// apart, in no channel. A later return never undoes a conversion.</item>
/// <item><b>Product</b>: the first purchase's product ids (a purchase of several products counts in each product's group);
/// for a prospect who has not bought, the products the journey's communications name; neither named:
/// <see cref="AcquisitionGroupKey.UnspecifiedProduct"/>. "All products" counts each customer once.</item>
/// <item><b>Cost</b>: Σ the journey's touchpoint costs, each converted into the reporting currency at the rate of the
/// touchpoint's UTC date (a missing rate stops the analysis with <see cref="ExchangeRateNotFoundException"/>).</item>
/// <item><b>Time to first purchase</b>: from the journey's first communication to the first purchase.</item>
/// </list>
/// <para>Customers are read in keyset pages of 1,000, each page's timelines up to the window end in one timeline query,
/// so memory is bounded by a page, not by the tenant.</para>
/// </remarks>
public sealed class AcquisitionAnalysis
{
    private readonly ICustomerStore _customers;
    private readonly ITouchpointStore _touchpoints;
    private readonly IExchangeRateProvider _rates;

    /// <summary>Creates the analysis over the stores.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="touchpoints">The touchpoint store.</param>
    /// <param name="rates">The exchange rates for costs not in the reporting currency.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AcquisitionAnalysis(ICustomerStore customers, ITouchpointStore touchpoints, IExchangeRateProvider rates)
    {
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _rates = Preconditions.NotNull(rates);
    }

    /// <summary>Analyses the tenant's acquisition in the request's window.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, or a segment snapshot is of another tenant.</exception>
    /// <exception cref="ExchangeRateNotFoundException">A cost's currency has no rate into the reporting currency on its date (<c>CRM-MONEY-002</c>).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async ValueTask<AcquisitionReport> AnalyseAsync(TenantId tenantId, AcquisitionRequest request, CancellationToken cancellationToken = default)
    {
        Check(tenantId, request);
        var scan = new AcquisitionScan(request, new CurrencyConverter(_rates, request.Currency));
        await RunAsync(_customers, _touchpoints, tenantId, scan, cancellationToken).ConfigureAwait(false);
        return scan.ToReport();
    }

    /// <summary>
    /// Streams the journeys behind a product × segment group of the report of the same request: every customer the
    /// group counts (reached or directly converted), with their communications and first purchase; in customer-store order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, a segment snapshot is of another tenant, or the group's segment is not among the request's.</exception>
    public IAsyncEnumerable<AcquisitionJourney> StreamGroupAsync(TenantId tenantId, AcquisitionRequest request, AcquisitionGroupKey group, CancellationToken cancellationToken = default)
    {
        Check(tenantId, request);
        CheckSegment(request, group, nameof(group));
        return Stream(tenantId, request, group, null, true, cancellationToken);
    }

    /// <summary>
    /// Streams the journeys behind a cell of the report of the same request: the group's customers whose journey gives the
    /// cell's channel credit under the attribution rule (for the no-communication cell, the direct conversions), with
    /// their communications and first purchase; in customer-store order. Their count is the cell's
    /// <see cref="AcquisitionCell.Journeys"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default, a segment snapshot is of another tenant, or the cell's segment is not among the request's.</exception>
    public IAsyncEnumerable<AcquisitionJourney> StreamCellAsync(TenantId tenantId, AcquisitionRequest request, AcquisitionCellKey cell, CancellationToken cancellationToken = default)
    {
        Check(tenantId, request);
        CheckSegment(request, cell.Group, nameof(cell));
        return Stream(tenantId, request, cell.Group, cell.Channel, false, cancellationToken);
    }

    private async IAsyncEnumerable<AcquisitionJourney> Stream(TenantId tenantId, AcquisitionRequest request, AcquisitionGroupKey group, ChannelId? channel, bool wholeGroup, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scan = new AcquisitionScan(request, new CurrencyConverter(_rates, request.Currency));
        await foreach (var timeline in TimelinesAsync(_customers, _touchpoints, tenantId, request.End, cancellationToken).ConfigureAwait(false))
        {
            if (await scan.EvaluateAsync(timeline.Customer, timeline.Touchpoints, cancellationToken).ConfigureAwait(false)
                && scan.Selects(group, channel, wholeGroup))
            {
                yield return scan.ToJourney(timeline.Touchpoints.Span);
            }
        }
    }

    private static void Check(TenantId tenantId, AcquisitionRequest request)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(request);
        Preconditions.Check(request.Segments.All(s => s.TenantId == tenantId), "A segment snapshot is of another tenant.", nameof(request));
    }

    private static void CheckSegment(AcquisitionRequest request, AcquisitionGroupKey group, string parameterName)
        => Preconditions.Check(group.Segment is not { } segment || request.Segments.Any(s => s.Segment == segment), "The segment is not among the request's segments.", parameterName);

    /// <summary>Feeds every customer of the tenant with their timeline into <paramref name="scan"/>.</summary>
    internal static async ValueTask RunAsync(ICustomerStore customers, ITouchpointStore touchpoints, TenantId tenantId, AcquisitionScan scan, CancellationToken cancellationToken)
    {
        await foreach (var timeline in TimelinesAsync(customers, touchpoints, tenantId, scan.Request.End, cancellationToken).ConfigureAwait(false))
        {
            if (await scan.EvaluateAsync(timeline.Customer, timeline.Touchpoints, cancellationToken).ConfigureAwait(false))
            {
                scan.Accumulate(timeline.Touchpoints.Span);
            }
        }
    }

    /// <summary>
    /// Every customer in store order with their touchpoints before <paramref name="end"/> in timeline order: a page of
    /// customers, one timeline query for the page, regrouped by customer with a stable counting sort.
    /// </summary>
    private static async IAsyncEnumerable<CustomerTimeline> TimelinesAsync(ICustomerStore customers, ITouchpointStore touchpoints, TenantId tenantId, Instant end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int PageSize = TimelineFilter.MaxCustomers;
        var indexOf = new Dictionary<CustomerId, int>(PageSize);
        var owners = new List<int>();
        var rows = new List<Touchpoint>();
        var begin = new int[PageSize + 1];
        var next = new int[PageSize];
        var sorted = Array.Empty<Touchpoint>();
        await foreach (var page in customers.CustomerPagesAsync(tenantId, PageSize, cancellationToken).ConfigureAwait(false))
        {
            indexOf.Clear();
            for (var i = 0; i < page.Count; i++)
            {
                indexOf[page[i].Id] = i;
            }

            owners.Clear();
            rows.Clear();
            var filter = new TimelineFilter(indexOf.Keys, to: end);
            await foreach (var timeline in touchpoints.TimelinePagesAsync(tenantId, filter, 10_000, cancellationToken).ConfigureAwait(false))
            {
                foreach (var touchpoint in timeline)
                {
                    owners.Add(indexOf[touchpoint.CustomerId]);
                    rows.Add(touchpoint);
                }
            }

            if (sorted.Length < rows.Count)
            {
                sorted = new Touchpoint[Math.Max(rows.Count, sorted.Length * 2)];
            }

            Array.Clear(begin);
            foreach (var owner in owners)
            {
                begin[owner + 1]++;
            }

            for (var i = 1; i <= page.Count; i++)
            {
                begin[i] += begin[i - 1];
            }

            Array.Copy(begin, next, page.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                sorted[next[owners[i]]++] = rows[i];
            }

            for (var i = 0; i < page.Count; i++)
            {
                yield return new CustomerTimeline(page[i], sorted.AsMemory(begin[i], begin[i + 1] - begin[i]));
            }
        }
    }

    private readonly record struct CustomerTimeline(CustomerSnapshot Customer, ReadOnlyMemory<Touchpoint> Touchpoints);
}
