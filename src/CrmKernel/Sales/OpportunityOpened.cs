using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>A deal was opened for a customer in a pipeline's stage.</summary>
public sealed class OpportunityOpened : OpportunityEvent
{
    internal OpportunityOpened(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt, SalesPipelineId pipelineId, string name, string owner, Currency currency, LocalDate expectedCloseDate, OpportunityStageChange change)
        : base(tenantId, opportunityId, customerId, occurredAt)
    {
        PipelineId = pipelineId;
        Name = name;
        Owner = owner;
        Currency = currency;
        ExpectedCloseDate = expectedCloseDate;
        Change = change;
    }

    /// <summary>The pipeline.</summary>
    public SalesPipelineId PipelineId { get; }

    /// <summary>The deal's name.</summary>
    public string Name { get; }

    /// <summary>The owner's opaque id.</summary>
    public string Owner { get; }

    /// <summary>The deal's currency.</summary>
    public Currency Currency { get; }

    /// <summary>When it is expected to close.</summary>
    public LocalDate ExpectedCloseDate { get; }

    /// <summary>The history entry: the first stage, when, by whom, why.</summary>
    public OpportunityStageChange Change { get; }
}
