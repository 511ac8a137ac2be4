using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>The deal's expected close date changed.</summary>
public sealed class OpportunityRescheduled : OpportunityEvent
{
    internal OpportunityRescheduled(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, LocalDate expectedCloseDate)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        ExpectedCloseDate = expectedCloseDate;
    }

    /// <summary>The new expected close date.</summary>
    public LocalDate ExpectedCloseDate { get; }
}
