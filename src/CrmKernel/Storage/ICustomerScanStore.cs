using CrmKernel.Primitives;

namespace CrmKernel.Storage;

/// <summary>
/// An optional capability of a customer store: reading the tenant's customers as compact <see cref="CustomerScanRow"/>s
/// in keyset pages, for whole-tenant scans such as metric evaluation (<c>MetricEvaluator</c> uses it when the store
/// implements it and falls back to <see cref="ICustomerStore.PageAsync"/> with <see cref="CustomerScanRow.From"/>
/// otherwise). Unlike a snapshot page it does not rebuild each customer's profile, contact points, identifiers, tags,
/// attributes, consent ledger and full lifecycle records, which is what makes it cheap: a store reads only the columns a
/// row holds.
/// </summary>
/// <remarks>
/// Implement it on the same class as <see cref="ICustomerStore"/>; the conformance kit
/// <c>CustomerScanStoreConformanceTests</c> checks the contract: a page holds the same customers, in the same order, as
/// <see cref="ICustomerStore.PageAsync"/> with the same arguments, each row equal to <see cref="CustomerScanRow.From"/>
/// of that customer's snapshot (an erased customer's shell is a customer like any other; a merged-away one is absent).
/// </remarks>
public interface ICustomerScanStore : ICustomerStore
{
    /// <summary>
    /// Reads one keyset page of rows: up to <paramref name="limit"/> customers whose id is greater than
    /// <paramref name="after"/> (or from the start when null), in ascending id order — the customers
    /// <see cref="ICustomerStore.PageAsync"/> returns for the same arguments.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="after">The id to start after, or null for the start.</param>
    /// <param name="limit">1 to 10,000 rows.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="Diagnostics.InputLimitExceededException"><paramref name="limit"/> is more than 10,000 (<c>CRM-INPUT-001</c>).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask<IReadOnlyList<CustomerScanRow>> PageRowsAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken);
}
