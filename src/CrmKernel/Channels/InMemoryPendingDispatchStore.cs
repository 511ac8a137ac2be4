using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Channels;

/// <summary>
/// The reference <see cref="IPendingDispatchStore"/>: keeps pending dispatches in memory, thread-safe. The default
/// when the host registers no other; nothing survives the process, so use a durable store in production.
/// </summary>
public sealed class InMemoryPendingDispatchStore : IPendingDispatchStore
{
    private readonly ConcurrentDictionary<(TenantId Tenant, string Key), PendingDispatch> _entries = new();

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="dispatch"/> is null.</exception>
    public ValueTask SaveAsync(PendingDispatch dispatch, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(dispatch);
        cancellationToken.ThrowIfCancellationRequested();
        _entries[(dispatch.TenantId, dispatch.DispatchKey)] = dispatch;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="dispatchKey"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public ValueTask<PendingDispatch?> FindAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(dispatchKey);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_entries.GetValueOrDefault((tenantId, dispatchKey)));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="dispatchKey"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public ValueTask<bool> RemoveAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(dispatchKey);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_entries.TryRemove((tenantId, dispatchKey), out _));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public IAsyncEnumerable<PendingDispatch> StreamAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        return Read(tenantId, cancellationToken);
    }

    /// <summary>Removes the customer's pending messages (for an erasure) and returns how many; it cannot fail.</summary>
    internal int RemoveCustomer(TenantId tenantId, CustomerId customerId)
    {
        var removed = 0;
        foreach (var entry in _entries)
        {
            if (entry.Key.Tenant == tenantId && entry.Value.Request.CustomerId == customerId && _entries.TryRemove(entry.Key, out _))
            {
                removed++;
            }
        }

        return removed;
    }

    private async IAsyncEnumerable<PendingDispatch> Read(TenantId tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entries = _entries.Values.Where(e => e.TenantId == tenantId).OrderBy(e => e.LastAttemptAt).ToList();
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
