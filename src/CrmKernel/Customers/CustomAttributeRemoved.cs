using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>A custom attribute was removed.</summary>
public sealed class CustomAttributeRemoved : CustomerEvent
{
    internal CustomAttributeRemoved(TenantId tenantId, CustomerId customerId, Instant occurredAt, string name)
        : base(tenantId, customerId, occurredAt) => Name = name;

    /// <summary>The attribute's name.</summary>
    public string Name { get; }
}
