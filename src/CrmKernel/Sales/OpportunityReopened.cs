using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>A lost deal was reopened into an open stage.</summary>
public sealed class OpportunityReopened : OpportunityEvent
{
    internal OpportunityReopened(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, OpportunityStageChange change)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        Change = change;
    }

    /// <summary>The history entry: from, to, when, by whom, why.</summary>
    public OpportunityStageChange Change { get; }
}
