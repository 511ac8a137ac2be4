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
    // One dictionary per tenant: a tenant's retry pass and erasure read only its own entries, and a key is hashed alone.
    private readonly ConcurrentDictionary<TenantId, ConcurrentDictionary<string, PendingDispatch>> _tenants = new();

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="dispatch"/> is null.</exception>
    public ValueTask SaveAsync(PendingDispatch dispatch, CancellationToken cancellationToken)
    {
        Preconditions.NotNull(dispatch);
        cancellationToken.ThrowIfCancellationRequested();
        _tenants.GetOrAdd(dispatch.TenantId, static _ => new ConcurrentDictionary<string, PendingDispatch>(StringComparer.Ordinal))[dispatch.DispatchKey] = dispatch;
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
        return ValueTask.FromResult(_tenants.TryGetValue(tenantId, out var entries) ? entries.GetValueOrDefault(dispatchKey) : null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="dispatchKey"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default.</exception>
    public ValueTask<bool> RemoveAsync(TenantId tenantId, string dispatchKey, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(dispatchKey);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.TryGetValue(tenantId, out var entries) && entries.TryRemove(dispatchKey, out _));
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
        if (!_tenants.TryGetValue(tenantId, out var entries))
        {
            return 0;
        }

        var removed = 0;
        foreach (var entry in entries)
        {
            if (entry.Value.Request.CustomerId == customerId && entries.TryRemove(entry.Key, out _))
            {
                removed++;
            }
        }

        return removed;
    }

    private async IAsyncEnumerable<PendingDispatch> Read(TenantId tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<PendingDispatch> entries = _tenants.TryGetValue(tenantId, out var tenant) ? [.. tenant.Values.OrderBy(e => e.LastAttemptAt)] : [];
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
