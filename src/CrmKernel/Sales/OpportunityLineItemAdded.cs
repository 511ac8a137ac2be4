using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>A product was added to the deal.</summary>
public sealed class OpportunityLineItemAdded : OpportunityEvent
{
    internal OpportunityLineItemAdded(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, OpportunityLineItem lineItem, Money amount)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        LineItem = lineItem;
        Amount = amount;
    }

    /// <summary>The line added.</summary>
    public OpportunityLineItem LineItem { get; }

    /// <summary>The deal's new amount.</summary>
    public Money Amount { get; }
}
