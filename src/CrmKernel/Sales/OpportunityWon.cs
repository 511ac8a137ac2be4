using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>The deal was closed won: the customer bought. The sales service records the purchase touchpoint.</summary>
public sealed class OpportunityWon : OpportunityEvent
{
    internal OpportunityWon(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, OpportunityStageChange change, Money amount)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        Change = change;
        Amount = amount;
    }

    /// <summary>The history entry: when, by whom, why.</summary>
    public OpportunityStageChange Change { get; }

    /// <summary>The amount won, in the deal's currency.</summary>
    public Money Amount { get; }
}
