using System.Collections.Concurrent;
using CrmKernel.Primitives;

namespace CrmKernel.Storage.InMemory;

/// <summary>
/// The in-memory stores' one way of keeping data per tenant: a partition per tenant, each behind its own lock,
/// so tenants never contend and never see each other. Reads and writes take a static delegate and a state
/// argument, so a call allocates nothing.
/// </summary>
internal sealed class TenantPartitions<TPartition>
    where TPartition : class, ITenantPartition, new()
{
    private readonly ConcurrentDictionary<TenantId, TPartition> _partitions = new();

    /// <summary>Reads under the tenant's lock; returns <paramref name="whenAbsent"/> for a tenant that has stored nothing.</summary>
    public TResult Read<TArg, TResult>(TenantId tenantId, TArg argument, Func<TPartition, TArg, TResult> read, TResult whenAbsent)
    {
        if (!_partitions.TryGetValue(tenantId, out var partition))
        {
            return whenAbsent;
        }

        lock (partition.Gate)
        {
            return read(partition, argument);
        }
    }

    /// <summary>Writes under the tenant's lock, creating the tenant's partition on first use.</summary>
    public TResult Write<TArg, TResult>(TenantId tenantId, TArg argument, Func<TPartition, TArg, TResult> write)
    {
        var partition = _partitions.GetOrAdd(tenantId, static _ => new TPartition());
        lock (partition.Gate)
        {
            return write(partition, argument);
        }
    }
}

/// <summary>A tenant's data in an in-memory store, with the lock that guards it.</summary>
internal interface ITenantPartition
{
    Lock Gate { get; }
}
