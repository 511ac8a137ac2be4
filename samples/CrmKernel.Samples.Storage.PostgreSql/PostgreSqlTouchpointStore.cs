using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Samples.Storage.PostgreSql;

/// <summary>
/// The touchpoint store of a <see cref="PostgreSqlCrmStore"/>'s database, with the whole-tenant scan capability
/// (<see cref="ITouchpointScanStore"/>) that metric evaluation uses. Obtain it from <see cref="PostgreSqlCrmStore.Touchpoints"/>;
/// it runs on the store's connection pool. Appends go through binary COPY, so an import of millions of touchpoints
/// costs little more than the raw driver would, and stay idempotent by source key.
/// </summary>
public sealed class PostgreSqlTouchpointStore : ITouchpointScanStore
{
    private readonly PostgreSqlCrmStore _store;

    internal PostgreSqlTouchpointStore(PostgreSqlCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(touchpoints);
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        foreach (var touchpoint in touchpoints)
        {
            Preconditions.Check(touchpoint is not null && touchpoint.TenantId == tenantId, "Every touchpoint must belong to the tenant appended to.", nameof(touchpoints));
            TouchpointRows.CheckOrderable(touchpoint!, nameof(touchpoints));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (touchpoints.Count == 0)
        {
            return ValueTask.FromResult(new TouchpointAppendResult(0, [], []));
        }

        return _store.WriteAsync((c, t, ct) => TouchpointRows.AppendAsync(_store.Database, c, t, tenantId, touchpoints, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(touchpointId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((c, ct) => TouchpointRows.FindAsync(_store.Database, c, tenantId, touchpointId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((c, ct) => TouchpointRows.FindBySourceAsync(_store.Database, c, tenantId, source, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((c, ct) => TouchpointRows.CountAsync(_store.Database, c, tenantId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(filter);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((c, ct) => TouchpointRows.PageTimelineAsync(_store.Database, c, tenantId, filter, after, limit, ct), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Pushed down to SQL: one statement over the timeline index (tenant, customer, time) selects only the scanned columns,
    /// decoded by the server, and streams them as the server sends them into one pooled buffer yielded every 4,096 rows or
    /// so, a customer never split across batches. No <see cref="Touchpoint"/> is built.
    /// </remarks>
    public IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> StreamRowsByCustomerAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, Instant? to, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(customerIds);
        StoreArguments.CheckCustomerIds(customerIds, nameof(customerIds));
        return StreamRowsByCustomer(tenantId, customerIds, to, cancellationToken);
    }

    private async IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> StreamRowsByCustomer(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, Instant? to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _store.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _store.Database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var batch in TouchpointScanRows.ReadAsync(_store.Database, connection, tenantId, customerIds, to, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }
}
