using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Storage;

/// <summary>
/// An optional capability of a touchpoint store: streaming many customers' touchpoints as compact
/// <see cref="TouchpointScanRow"/>s in batches, grouped by customer, in the store's natural order, for whole-tenant
/// scans such as metric evaluation (<c>MetricEvaluator</c> uses it when the store implements it and falls back to
/// <see cref="ITouchpointStore.PageTimelineAsync"/> otherwise). Unlike a timeline page it neither merges the customers'
/// touchpoints by time nor builds <see cref="Touchpoint"/> objects, which is what makes it cheap: a store reads only the
/// columns a row holds and pushes the customer list and the end of the time range into its query.
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
    /// (all of them when null) as rows, each exactly once, in non-empty batches: one customer's rows are contiguous
    /// (possibly across batches) and in <see cref="TimelinePosition"/> order; the customers come in the store's order,
    /// not necessarily the order given. A customer with no touchpoints, or unknown to the store, yields nothing; an id
    /// given twice is read once.
    /// </summary>
    /// <remarks>
    /// A batch is valid until the enumeration moves on: a store may reuse its memory for the next batch, so a caller
    /// that keeps rows copies them (<c>batch.ToArray()</c>).
    /// </remarks>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="customerIds">1 to <see cref="MaxCustomers"/> customers.</param>
    /// <param name="to">The exclusive end of the time range, or null for everything.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="customerIds"/> is null (thrown when called, not when enumerated).</exception>
    /// <exception cref="ArgumentException">The tenant or a customer id is the default, or there are no ids or more than <see cref="MaxCustomers"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> StreamRowsByCustomerAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, Instant? to, CancellationToken cancellationToken);
}
