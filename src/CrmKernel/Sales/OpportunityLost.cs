using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>The deal was closed lost.</summary>
public sealed class OpportunityLost : OpportunityEvent
{
    internal OpportunityLost(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, OpportunityStageChange change)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        Change = change;
    }

    /// <summary>The history entry: from, to, when, by whom, why.</summary>
    public OpportunityStageChange Change { get; }
}
