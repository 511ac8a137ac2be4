using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>A tag was removed from the customer.</summary>
public sealed class CustomerUntagged : CustomerEvent
{
    internal CustomerUntagged(TenantId tenantId, CustomerId customerId, Instant occurredAt, CustomerTag tag)
        : base(tenantId, customerId, occurredAt) => Tag = tag;

    /// <summary>The tag removed.</summary>
    public CustomerTag Tag { get; }
}
