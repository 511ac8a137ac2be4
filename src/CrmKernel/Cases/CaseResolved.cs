using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>A case was resolved, with the customer's satisfaction score when one was given.</summary>
public sealed class CaseResolved : CaseEvent
{
    internal CaseResolved(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, CaseStatusChange change, CaseResolution resolution)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        Change = change;
        Resolution = resolution;
    }

    /// <summary>The history entry.</summary>
    public CaseStatusChange Change { get; }

    /// <summary>The resolution: when, note, satisfaction.</summary>
    public CaseResolution Resolution { get; }
}
