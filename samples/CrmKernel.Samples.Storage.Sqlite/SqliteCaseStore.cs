using CrmKernel.Cases;
using CrmKernel.Primitives;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// CrmKernel's service case store over the SQLite file of a <see cref="SqliteCrmStore"/>: each case as the kernel's
/// document beside its key columns (customer, status), versioned with optimistic concurrency, the cases of one commit
/// and their events written to the file's outbox in one transaction. Obtain it from <see cref="SqliteCrmStore.Cases"/>
/// (or as <see cref="ICaseStore"/> after <c>UseSqlite</c>); it shares the store's connections and lifetime. Application
/// code uses <c>CaseService</c> over it.
/// </summary>
/// <remarks>Thread-safe. Disposing the owning <see cref="SqliteCrmStore"/> closes it too.</remarks>
public sealed class SqliteCaseStore : ICaseStore
{
    private readonly SqliteCrmStore _store;

    internal SqliteCaseStore(SqliteCrmStore store) => _store = store;

    /// <inheritdoc />
    public ValueTask<ServiceCase?> FindAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(caseId, nameof(caseId));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => CaseRows.FindAsync(session, tenantId, caseId, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ServiceCase>> PageAsync(TenantId tenantId, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => CaseRows.PageAsync(session, tenantId, CaseIndex.Tenant, null, after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ServiceCase>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        StoreArguments.NotDefault(customerId, nameof(customerId));
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => CaseRows.PageAsync(session, tenantId, CaseIndex.Customer, customerId.ToString(), after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ServiceCase>> PageByStatusAsync(TenantId tenantId, CaseStatus status, CaseId? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentException("The status is not defined.", nameof(status));
        }

        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => CaseRows.PageAsync(session, tenantId, CaseIndex.Status, status.ToString(), after, limit, ct), inTransaction: false, cancellationToken);
    }

    /// <summary>Stores the commit's cases and their events in one transaction.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="commit"/> is null.</exception>
    /// <exception cref="ConcurrencyConflictException">A stored version is not the expected one; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing was stored.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    public async ValueTask CommitAsync(CaseCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await CaseRows.CommitAsync(session, commit, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
