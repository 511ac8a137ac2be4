using System.Collections.Concurrent;
using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference outbox: the events committed by the in-memory stores, kept in commit order until they are
/// marked published. Registered with <c>builder.UseInMemoryStores()</c>.
/// </summary>
public sealed class InMemoryCrmOutbox : ICrmOutbox
{
    private readonly ConcurrentDictionary<TenantId, TenantOutbox> _tenants = new();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CrmEventEnvelope>> ReadPendingAsync(TenantId tenantId, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenantId, out var outbox))
        {
            return ValueTask.FromResult<IReadOnlyList<CrmEventEnvelope>>([]);
        }

        lock (outbox.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<CrmEventEnvelope>>([.. outbox.Pending.Take(limit)]);
        }
    }

    /// <inheritdoc />
    public ValueTask MarkPublishedAsync(TenantId tenantId, IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(eventIds);
        cancellationToken.ThrowIfCancellationRequested();
        if (_tenants.TryGetValue(tenantId, out var outbox))
        {
            lock (outbox.Gate)
            {
                foreach (var id in eventIds)
                {
                    if (outbox.Index.Remove(id, out var node))
                    {
                        outbox.Pending.Remove(node);
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Appends committed events; called by the in-memory stores inside their commit.</summary>
    internal void Append(TenantId tenantId, IReadOnlyList<CrmEventEnvelope> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var outbox = _tenants.GetOrAdd(tenantId, static _ => new TenantOutbox());
        lock (outbox.Gate)
        {
            foreach (var e in events)
            {
                outbox.Index[e.EventId] = outbox.Pending.AddLast(e);
            }
        }
    }

    private sealed class TenantOutbox
    {
        public readonly Lock Gate = new();
        public readonly LinkedList<CrmEventEnvelope> Pending = new();
        public readonly Dictionary<Guid, LinkedListNode<CrmEventEnvelope>> Index = [];
    }
}
