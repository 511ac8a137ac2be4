using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>A case was started, put on hold waiting for the customer, resumed or closed (resolutions, reopens and merges have their own events).</summary>
public sealed class CaseStatusChanged : CaseEvent
{
    internal CaseStatusChanged(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, CaseStatusChange change)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        Change = change;
    }

    /// <summary>The history entry: from, to, when, by whom, why.</summary>
    public CaseStatusChange Change { get; }
}
