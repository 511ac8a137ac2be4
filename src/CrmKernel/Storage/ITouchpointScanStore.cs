using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Storage;

/// <summary>
/// An optional capability of a touchpoint store: streaming many customers' touchpoints grouped by customer, in the
/// store's natural order, for whole-tenant scans such as metric evaluation (<c>MetricEvaluator</c> uses it when the
/// store implements it and falls back to <see cref="ITouchpointStore.PageTimelineAsync"/> otherwise). Unlike a
/// timeline page it does not merge the customers' touchpoints by time, which is what makes it cheap.
/// </summary>
/// <remarks>
/// Implement it on the same class as <see cref="ITouchpointStore"/>; the conformance kit
/// <c>TouchpointScanStoreConformanceTests</c> checks the contract.
/// </remarks>
public interface ITouchpointScanStore : ITouchpointStore
{
    /// <summary>The most customers one call reads (as for a timeline filter).</summary>
    public const int MaxCustomers = TimelineFilter.MaxCustomers;

    /// <summary>
    /// Streams every touchpoint of the tenant's <paramref name="customerIds"/> that occurred before <paramref name="to"/>
    /// (all of them when null), each exactly once: one customer's touchpoints are contiguous and in
    /// <see cref="TimelinePosition"/> order; the customers come in the store's order, not necessarily the order given.
    /// A customer with no touchpoints, or unknown to the store, yields nothing; an id given twice is read once.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="customerIds">1 to <see cref="MaxCustomers"/> customers.</param>
    /// <param name="to">The exclusive end of the time range, or null for everything.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="customerIds"/> is null (thrown when called, not when enumerated).</exception>
    /// <exception cref="ArgumentException">The tenant or a customer id is the default, or there are no ids or more than <see cref="MaxCustomers"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    IAsyncEnumerable<Touchpoint> StreamByCustomerAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, Instant? to, CancellationToken cancellationToken);
}
