using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>A contact was given a role in the deal.</summary>
public sealed class OpportunityContactRoleAdded : OpportunityEvent
{
    internal OpportunityContactRoleAdded(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, OpportunityContactRole contactRole)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        ContactRole = contactRole;
    }

    /// <summary>The contact and role.</summary>
    public OpportunityContactRole ContactRole { get; }
}
