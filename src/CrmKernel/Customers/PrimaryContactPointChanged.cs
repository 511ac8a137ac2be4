using CrmKernel.ContactPoints;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>A contact point became the customer's primary one of its kind.</summary>
public sealed class PrimaryContactPointChanged : CustomerEvent
{
    internal PrimaryContactPointChanged(TenantId tenantId, CustomerId customerId, Instant occurredAt, ContactPoint contactPoint, ContactPoint? previous)
        : base(tenantId, customerId, occurredAt)
    {
        ContactPoint = contactPoint;
        Previous = previous;
    }

    /// <summary>The new primary contact point.</summary>
    public ContactPoint ContactPoint { get; }

    /// <summary>The contact point that was primary before, or null.</summary>
    public ContactPoint? Previous { get; }
}
