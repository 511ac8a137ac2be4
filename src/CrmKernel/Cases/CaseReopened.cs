using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>A resolved case was reopened within the reopen window: it is in progress again.</summary>
public sealed class CaseReopened : CaseEvent
{
    internal CaseReopened(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, CaseStatusChange change)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        Change = change;
    }

    /// <summary>The history entry.</summary>
    public CaseStatusChange Change { get; }
}
