using System.Runtime.CompilerServices;
using CrmKernel.Channels;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Channels;
using CrmKernel.Storage;

namespace CrmKernel.Samples.Storage.Sqlite;

/// <summary>
/// The dispatcher's pending messages over the SQLite file of a <see cref="SqliteCrmStore"/>: a message written before
/// its send, or kept after a failed one, survives a restart, so <see cref="ChannelDispatcher.RetryPendingAsync"/> finds it
/// in the next process. Obtain it from <see cref="SqliteCrmStore.PendingDispatches"/> (or as
/// <see cref="IPendingDispatchStore"/> after <c>UseSqlite</c>); it shares the store's connections and lifetime.
/// </summary>
/// <remarks>
/// <para>Each call is one statement: a save is an upsert in one <c>BEGIN IMMEDIATE</c> transaction, a read sees one
/// committed state. <see cref="StreamAsync"/> streams in pages, oldest last attempt first (ties in key order), so a
/// long backlog is never held in memory at once.</para>
/// <para>Thread-safe. Disposing the owning <see cref="SqliteCrmStore"/> closes it too.</para>
/// </remarks>
public sealed class SqlitePendingDispatchStore : IPendingDispatchStore
{
    private readonly SqliteCrmStore _store;

    internal SqlitePendingDispatchStore(SqliteCrmStore store) => _store = store;

    /// <summary>Inserts or replaces the entry for the dispatch's tenant and key, in one transaction.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="dispatch"/> is null.</exception>
    /// <exception cref="ArgumentException">The last attempt is before ISO year 0, which the store cannot keep in order; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing was stored.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    public async ValueTask SaveAsync(PendingDispatch dispatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        if (dispatch.LastAttemptAt < ColumnText.EarliestOrderedInstant)
        {
            throw new ArgumentException($"Pending dispatch {dispatch.DispatchKey} was attempted before ISO year 0, which the SQLite store cannot keep in order.", nameof(dispatch));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await _store.WriteAsync(
            async (session, ct) =>
            {
                await PendingDispatchRows.SaveAsync(session, dispatch, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="dispatchKey"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="InvalidStoredStateException">The stored row breaks a rule of the kernel (e.g. it was edited by hand).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    public ValueTask<PendingDispatch?> FindAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(dispatchKey);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.ReadAsync((session, ct) => PendingDispatchRows.FindAsync(session, tenantId, dispatchKey, ct), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="dispatchKey"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing was removed.</exception>
    /// <exception cref="ObjectDisposedException">The owning store was disposed.</exception>
    public ValueTask<bool> RemoveAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(dispatchKey);
        cancellationToken.ThrowIfCancellationRequested();
        return _store.WriteAsync((session, ct) => PendingDispatchRows.DeleteAsync(session, tenantId, dispatchKey, ct), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public IAsyncEnumerable<PendingDispatch> StreamAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        StoreArguments.NotDefault(tenantId, nameof(tenantId));
        return ReadAll(tenantId, cancellationToken);
    }

    private async IAsyncEnumerable<PendingDispatch> ReadAll(TenantId tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // '' sorts before every instant text and every key. Each page is its own read, so no connection is held while
        // the caller works on the entries; an entry saved again meanwhile moves to its new place in the order.
        var afterAt = string.Empty;
        var afterKey = string.Empty;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (at, key) = (afterAt, afterKey);
            var page = await _store.ReadAsync((session, ct) => PendingDispatchRows.ReadPageAsync(session, tenantId, at, key, ct), inTransaction: false, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return entry;
            }

            if (page.Count < PendingDispatchRows.PageSize)
            {
                yield break;
            }

            var last = page[^1];
            afterAt = ColumnText.OfInstant(last.LastAttemptAt);
            afterKey = last.DispatchKey;
        }
    }
}
