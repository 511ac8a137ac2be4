using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>Another customer was merged into this one (the survivor); <see cref="MergedCustomerId"/> now resolves to it.</summary>
public sealed class CustomerMerged : CustomerEvent
{
    internal CustomerMerged(TenantId tenantId, CustomerId customerId, Instant occurredAt, CustomerMergeId mergeId, CustomerId mergedCustomerId)
        : base(tenantId, customerId, occurredAt)
    {
        MergeId = mergeId;
        MergedCustomerId = mergedCustomerId;
    }

    /// <summary>The merge, to unmerge it later.</summary>
    public CustomerMergeId MergeId { get; }

    /// <summary>The customer merged away.</summary>
    public CustomerId MergedCustomerId { get; }
}
