using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>A product was removed from the deal.</summary>
public sealed class OpportunityLineItemRemoved : OpportunityEvent
{
    internal OpportunityLineItemRemoved(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, int lineNumber, Money amount)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        LineNumber = lineNumber;
        Amount = amount;
    }

    /// <summary>The number of the line removed.</summary>
    public int LineNumber { get; }

    /// <summary>The deal's new amount.</summary>
    public Money Amount { get; }
}
