using CrmKernel.Primitives;
using CrmKernel.Sales;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// CrmKernel's sales pipeline and opportunity stores over the SQLite file of a <see cref="SqliteCrmStore"/>: each record
/// as the kernel's document beside its key columns, versioned with optimistic concurrency, a deal's events written to
/// the file's outbox in the same transaction. Obtain it from <see cref="SqliteCrmStore.Sales"/> (or as
/// <see cref="IOpportunityStore"/> and <see cref="ISalesPipelineStore"/> after <c>UseSqlite</c>); it shares the store's
/// connections and lifetime. Application code uses <c>OpportunityService</c> over it.
/// </summary>
/// <remarks>Thread-safe. Disposing the owning <see cref="SqliteCrmStore"/> closes it too.</remarks>
public sealed class SqliteSalesStore : IOpportunityStore, ISalesPipelineStore
{
    private readonly SqliteCrmStore _store;

    internal SqliteSalesStore(SqliteCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<Opportunity?> FindAsync(TenantId tenantId, OpportunityId opportunityId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(opportunityId, nameof(opportunityId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => SalesRows.FindOpportunityAsync(session, tenantId, opportunityId, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Opportunity>> PageAsync(TenantId tenantId, OpportunityId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => SalesRows.PageAsync(session, tenantId, null, after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Opportunity>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, OpportunityId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(customerId, nameof(customerId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => SalesRows.PageAsync(session, tenantId, customerId, after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <summary>Stores a deal's new state and its events in one transaction.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="commit"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the commit's expected version; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing was stored.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    public async ValueTask CommitAsync(OpportunityCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await SalesRows.CommitOpportunityAsync(session, commit, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<SalesPipeline?> FindAsync(TenantId tenantId, SalesPipelineId pipelineId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(pipelineId, nameof(pipelineId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => SalesRows.FindPipelineAsync(session, tenantId, pipelineId, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SalesPipeline>> ListAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => SalesRows.ListPipelinesAsync(session, tenantId, ct), inTransaction: false, cancellationToken);
    }

    /// <summary>Stores a pipeline at its version in one transaction.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pipeline"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version is not <paramref name="expectedVersion"/>, or the pipeline's version is not the next one; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing was stored.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    public async ValueTask CommitAsync(SalesPipeline pipeline, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await SalesRows.CommitPipelineAsync(session, pipeline, expectedVersion, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
