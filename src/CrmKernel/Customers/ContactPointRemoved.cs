using CrmKernel.ContactPoints;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>A contact point was removed from the customer.</summary>
public sealed class ContactPointRemoved : CustomerEvent
{
    internal ContactPointRemoved(TenantId tenantId, CustomerId customerId, Instant occurredAt, ContactPoint contactPoint, bool wasPrimary)
        : base(tenantId, customerId, occurredAt)
    {
        ContactPoint = contactPoint;
        WasPrimary = wasPrimary;
    }

    /// <summary>The contact point that was removed.</summary>
    public ContactPoint ContactPoint { get; }

    /// <summary>Whether it was the primary one of its kind (the kind then has no primary until one is chosen).</summary>
    public bool WasPrimary { get; }
}
