using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>A contact point was added to the customer.</summary>
public sealed class ContactPointAdded : CustomerEvent
{
    internal ContactPointAdded(TenantId tenantId, CustomerId customerId, Instant occurredAt, CustomerContactPoint contactPoint)
        : base(tenantId, customerId, occurredAt) => ContactPoint = contactPoint;

    /// <summary>The contact point as held on the customer (with its label and primary flag).</summary>
    public CustomerContactPoint ContactPoint { get; }
}
