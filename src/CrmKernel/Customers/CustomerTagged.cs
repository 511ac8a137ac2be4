using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>The customer was tagged.</summary>
public sealed class CustomerTagged : CustomerEvent
{
    internal CustomerTagged(TenantId tenantId, CustomerId customerId, Instant occurredAt, CustomerTag tag)
        : base(tenantId, customerId, occurredAt) => Tag = tag;

    /// <summary>The tag added.</summary>
    public CustomerTag Tag { get; }
}
