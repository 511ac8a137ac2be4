using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>An open deal moved to another stage of its pipeline.</summary>
public sealed class OpportunityStageChanged : OpportunityEvent
{
    internal OpportunityStageChanged(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, OpportunityStageChange change)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        Change = change;
    }

    /// <summary>The history entry: from, to, when, by whom, why.</summary>
    public OpportunityStageChange Change { get; }
}
