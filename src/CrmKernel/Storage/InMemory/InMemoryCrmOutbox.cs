using CrmKernel.Diagnostics;
using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The reference outbox: the events committed by the in-memory stores, kept in commit order until they are
/// marked published. Registered with <c>builder.UseInMemoryStores()</c>.
/// </summary>
public sealed class InMemoryCrmOutbox : ICrmOutbox
{
    private readonly TenantPartitions<TenantOutbox> _tenants = new();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CrmEventEnvelope>> ListPendingAsync(TenantId tenantId, int limit, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        StoreArguments.CheckLimit(limit, nameof(limit));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_tenants.Read(tenantId, limit, static IReadOnlyList<CrmEventEnvelope> (o, n) => [.. o.Pending.Take(n)], []));
    }

    /// <inheritdoc />
    public ValueTask MarkPublishedAsync(TenantId tenantId, IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(eventIds);
        StoreArguments.CheckBatch(eventIds.Count, StoreLimits.MaxPageSize, nameof(eventIds));
        cancellationToken.ThrowIfCancellationRequested();
        return _tenants.Read(tenantId, eventIds, static (o, ids) =>
        {
            foreach (var id in ids)
            {
                if (o.Index.Remove(id, out var node))
                {
                    o.Pending.Remove(node);
                }
            }

            return ValueTask.CompletedTask;
        }, ValueTask.CompletedTask);
    }

    /// <summary>Appends committed events; called by the in-memory stores inside their commit.</summary>
    internal void Append(TenantId tenantId, IReadOnlyList<CrmEventEnvelope> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        _tenants.Write(tenantId, events, static (o, appended) =>
        {
            foreach (var e in appended)
            {
                o.Index[e.EventId] = o.Pending.AddLast(e);
            }

            return appended.Count;
        });
    }

    /// <summary>
    /// Drops the pending events about <paramref name="customerId"/> (this outbox keeps no published ones, so a redacted
    /// and published event is a dropped one) and returns how many; it cannot fail once called.
    /// </summary>
    internal int DropAbout(TenantId tenantId, CustomerId customerId)
        => _tenants.Write(tenantId, customerId, static (o, id) =>
        {
            var dropped = 0;
            for (var node = o.Pending.First; node is not null;)
            {
                var next = node.Next;
                var e = node.Value;
                if (ErasureDocuments.ConcernsCustomer(id, e.AggregateType, e.AggregateId, e.Payload))
                {
                    o.Pending.Remove(node);
                    o.Index.Remove(e.EventId);
                    dropped++;
                }

                node = next;
            }

            return dropped;
        });

    private sealed class TenantOutbox : ITenantPartition
    {
        public Lock Gate { get; } = new();
        public readonly LinkedList<CrmEventEnvelope> Pending = new();
        public readonly Dictionary<Guid, LinkedListNode<CrmEventEnvelope>> Index = [];
    }
}
