using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>A custom attribute was set to a new value.</summary>
public sealed class CustomAttributeSet : CustomerEvent
{
    internal CustomAttributeSet(TenantId tenantId, CustomerId customerId, Instant occurredAt, string name, CustomAttributeValue value)
        : base(tenantId, customerId, occurredAt)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary>The new value.</summary>
    public CustomAttributeValue Value { get; }
}
