using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>The deal was given to another owner.</summary>
public sealed class OpportunityReassigned : OpportunityEvent
{
    internal OpportunityReassigned(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, string owner)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        Owner = owner;
    }

    /// <summary>The new owner's opaque id.</summary>
    public string Owner { get; }
}
