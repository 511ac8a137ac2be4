using CrmKernel.Customers;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// CrmKernel's touchpoint store over the SQLite file of a <see cref="SqliteCrmStore"/>: the append-only log of every
/// contact, idempotent on each touchpoint's source key, with keyset timeline pages. Obtain it from
/// <see cref="SqliteCrmStore.Touchpoints"/> (or as <see cref="ITouchpointStore"/> after <c>UseSqlite</c>); it shares the
/// store's write connection, read connections and lifetime, so customers, touchpoints and relationships of one file are
/// written by one writer.
/// </summary>
/// <remarks>
/// <para>An append runs in one <c>BEGIN IMMEDIATE</c> transaction with prepared statements, whatever the batch size;
/// a cancelled or failed append stores nothing. Timeline pages are read in one read transaction.</para>
/// <para>Thread-safe. Disposing the owning <see cref="SqliteCrmStore"/> closes it too.</para>
/// </remarks>
public sealed class SqliteTouchpointStore : ITouchpointScanStore
{
    private readonly SqliteCrmStore _store;

    internal SqliteTouchpointStore(SqliteCrmStore store) => _store = store;

    /// <summary>
    /// Appends touchpoints of one tenant in one transaction: a touchpoint whose source key is stored with the same
    /// content is reported in <see cref="TouchpointAppendResult.AlreadyPresent"/>; one whose source key is stored with
    /// different content, or whose id is stored, in <see cref="TouchpointAppendResult.Conflicts"/>; every other one is stored.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoints"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The tenant is the default; a touchpoint is null or of another tenant; or a touchpoint occurred before ISO year 0,
    /// whose text form would not sort in time order. Nothing was stored.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing was stored.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    public ValueTask<TouchpointAppendResult> AppendAsync(TenantId tenantId, IReadOnlyList<Touchpoint> touchpoints, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(touchpoints);
        StoreArguments.CheckBatch(touchpoints.Count, StoreLimits.MaxAppendBatch, nameof(touchpoints));
        foreach (var touchpoint in touchpoints)
        {
            if (touchpoint is null || touchpoint.TenantId != tenantId)
            {
                throw new ArgumentException("Every touchpoint must belong to the tenant appended to.", nameof(touchpoints));
            }

            if (touchpoint.OccurredAt < ColumnText.EarliestOrderedInstant)
            {
                throw new ArgumentException($"Touchpoint {touchpoint.Id} occurred before ISO year 0, which the SQLite store cannot keep in timeline order.", nameof(touchpoints));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (touchpoints.Count == 0)
        {
            return ValueTask.FromResult(new TouchpointAppendResult(0, [], []));
        }

        return _store.WriteAsync((session, ct) => TouchpointRowWriter.AppendAsync(session, tenantId.Value, touchpoints, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Touchpoint?> FindAsync(TenantId tenantId, TouchpointId touchpointId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(touchpointId, nameof(touchpointId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => TouchpointRowReader.FindAsync(session, tenantId, touchpointId, ct), inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Touchpoint?> FindBySourceAsync(TenantId tenantId, ExternalIdentifier source, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => TouchpointRowReader.FindBySourceAsync(session, tenantId, source, ct), inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync(
            async (session, ct) =>
            {
                var count = session.Command(TouchpointSql.Count);
                count.Parameters[0].Value = tenantId.Value;
                return (long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            },
            inTransaction: false,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Touchpoint>> PageTimelineAsync(TenantId tenantId, TimelineFilter filter, TimelinePosition? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(filter);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => TouchpointRowReader.PageTimelineAsync(session, tenantId, filter, after, limit, ct), inTransaction: true, cancellationToken);
    }

    /// <summary>
    /// Streams the scan rows of the customers' touchpoints that occurred before <paramref name="to"/>, grouped by customer
    /// (in the order of their stored id text), each customer's in timeline order: one statement on a pooled read
    /// connection (one consistent snapshot) that reads only the row's columns, with the customer list and the end of
    /// the range in its <c>WHERE</c>, one ordered index range scan per customer and no merge by time. Rows are yielded as
    /// they are read, in batches of 4,096 that reuse one buffer; no <see cref="Touchpoint"/> is built.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="customerIds"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant or a customer id is the default, or there are no ids or more than <see cref="ITouchpointScanStore.MaxCustomers"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    /// <exception cref="CrmKernel.Diagnostics.InvalidStoredStateException">A stored value does not parse.</exception>
    public IAsyncEnumerable<ReadOnlyMemory<TouchpointScanRow>> StreamRowsByCustomerAsync(TenantId tenantId, IReadOnlyCollection<CustomerId> customerIds, NodaTime.Instant? to, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(customerIds);
        StoreArguments.CheckBatch(customerIds.Count, ITouchpointScanStore.MaxCustomers, nameof(customerIds));
        if (customerIds.Count < 1)
        {
            throw new ArgumentException($"Give 1 to {ITouchpointScanStore.MaxCustomers} customer ids.", nameof(customerIds));
        }

        foreach (var id in customerIds)
        {
            StoreArguments.NotDefault(id, nameof(customerIds));
        }

        return _store.StreamAsync((session, ct) => TouchpointScanReader.ReadAsync(session, tenantId, customerIds, to, ct), cancellationToken);
    }
}
