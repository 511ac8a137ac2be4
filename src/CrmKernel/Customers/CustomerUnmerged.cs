using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>A merge into this customer (the survivor) was undone; <see cref="RestoredCustomerId"/> exists again on its own.</summary>
public sealed class CustomerUnmerged : CustomerEvent
{
    internal CustomerUnmerged(TenantId tenantId, CustomerId customerId, Instant occurredAt, CustomerMergeId mergeId, CustomerId restoredCustomerId)
        : base(tenantId, customerId, occurredAt)
    {
        MergeId = mergeId;
        RestoredCustomerId = restoredCustomerId;
    }

    /// <summary>The merge undone.</summary>
    public CustomerMergeId MergeId { get; }

    /// <summary>The customer restored.</summary>
    public CustomerId RestoredCustomerId { get; }
}
