using CrmKernel.Primitives;

namespace CrmKernel.Channels;

/// <summary>
/// Where the dispatcher keeps messages between a send's start and its end, and failed ones until they are retried:
/// implement it on durable storage so that nothing is lost when the process stops. <see cref="InMemoryPendingDispatchStore"/>
/// is the reference implementation. Every call is tenant-scoped; entries are keyed by dispatch key.
/// </summary>
public interface IPendingDispatchStore
{
    /// <summary>Inserts or replaces the entry for the dispatch's key.</summary>
    /// <param name="dispatch">The entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    ValueTask SaveAsync(PendingDispatch dispatch, CancellationToken cancellationToken);

    /// <summary>Reads the entry for a dispatch key; null when there is none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="dispatchKey">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry or null.</returns>
    ValueTask<PendingDispatch?> FindAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken);

    /// <summary>Removes the entry for a dispatch key; false when there was none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="dispatchKey">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether an entry was removed.</returns>
    ValueTask<bool> RemoveAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken);

    /// <summary>Streams the tenant's entries, oldest last attempt first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<PendingDispatch> StreamAsync(TenantId tenantId, CancellationToken cancellationToken);
}
