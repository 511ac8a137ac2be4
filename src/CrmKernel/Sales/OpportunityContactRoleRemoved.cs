using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>A contact's role in the deal was removed.</summary>
public sealed class OpportunityContactRoleRemoved : OpportunityEvent
{
    internal OpportunityContactRoleRemoved(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, OpportunityContactRole contactRole)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        ContactRole = contactRole;
    }

    /// <summary>The contact and role removed.</summary>
    public OpportunityContactRole ContactRole { get; }
}
