using CrmKernel.ContactPoints;
using CrmKernel.Customers;
using CrmKernel.Identity;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// CrmKernel's merge store over the SQLite file of a <see cref="SqliteCrmStore"/>: merges two customers and undoes the
/// merge, each in one write transaction (customer rows, consent ledger, touchpoints and relationships re-pointed, the
/// merge record and the outbox events). Obtain it from <see cref="SqliteCrmStore.Merges"/> (or as
/// <see cref="ICustomerMergeStore"/> after <c>UseSqlite</c>); application code uses <c>CustomerMergeService</c> over it.
/// Customer reads and commits go to the owning store.
/// </summary>
/// <remarks>Thread-safe. Disposing the owning <see cref="SqliteCrmStore"/> closes it too.</remarks>
public sealed class SqliteCustomerMergeStore : ICustomerMergeStore
{
    private readonly SqliteCrmStore _store;

    internal SqliteCustomerMergeStore(SqliteCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken) => _store.FindAsync(tenantId, customerId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CustomerSnapshot?> FindByExternalIdentifierAsync(TenantId tenantId, ExternalIdentifier identifier, CancellationToken cancellationToken) => _store.FindByExternalIdentifierAsync(tenantId, identifier, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> ListByContactPointAsync(TenantId tenantId, ContactPoint contactPoint, CancellationToken cancellationToken) => _store.ListByContactPointAsync(tenantId, contactPoint, cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken) => _store.CountAsync(tenantId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerSnapshot>> PageAsync(TenantId tenantId, CustomerId? after, int limit, CancellationToken cancellationToken) => _store.PageAsync(tenantId, after, limit, cancellationToken);

    /// <inheritdoc />
    public ValueTask CommitAsync(CustomerCommit commit, CancellationToken cancellationToken) => _store.CommitAsync(commit, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord> CommitMergeAsync(CustomerMergeCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.WriteAsync((session, ct) => CustomerMergeRows.MergeAsync(session, commit, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord> CommitUnmergeAsync(CustomerUnmergeCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.WriteAsync((session, ct) => CustomerMergeRows.UnmergeAsync(session, commit, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord?> FindMergeAsync(TenantId tenantId, CustomerMergeId mergeId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(mergeId, nameof(mergeId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => CustomerMergeRows.FindAsync(session, tenantId, mergeId, ct), inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<CustomerMergeRecord?> FindActiveMergeAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(customerId, nameof(customerId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => CustomerMergeRows.FindActiveAsync(session, tenantId, customerId, ct), inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<CustomerId, CustomerId>> FindSurvivorsAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(customerIds);
        StoreArguments.CheckBatch(customerIds.Count, StoreLimits.MaxAppendBatch, nameof(customerIds));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => CustomerMergeRows.FindSurvivorsAsync(session, tenantId, customerIds, ct), inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerMergeRecord>> ListMergesByCustomerAsync(TenantId tenantId, CustomerId customerId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(customerId, nameof(customerId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => CustomerMergeRows.ListByCustomerAsync(session, tenantId, customerId, ct), inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendTouchpointsAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(touchpoints);
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        for (var i = 0; i < touchpoints.Count; i++)
        {
            if (touchpoints[i] is null || touchpoints[i].TenantId != tenantId)
            {
                throw new ArgumentException("Every touchpoint must belong to the tenant appended to.", nameof(touchpoints));
            }

            if (touchpoints[i].OccurredAt < ColumnText.EarliestOrderedInstant)
            {
                throw new ArgumentException($"Touchpoint {touchpoints[i].Id} occurred before ISO year 0, which the SQLite store cannot keep in timeline order.", nameof(touchpoints));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (touchpoints.Count == 0)
        {
            return ValueTask.FromResult(new TouchpointAppendResult(0, [], []));
        }

        return _store.WriteAsync((session, ct) => CustomerMergeRows.AppendAsync(session, tenantId, touchpoints, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendRedirectedWithCustomerAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, IReadOnlyList<CustomerId> addressedTo, CustomerCommit? commit, CancellationToken cancellationToken)
        => _store.AppendRedirectedWithCustomerAsync(tenantId, touchpoints, addressedTo, commit, cancellationToken);
}
