using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>A duplicate case was merged into another (the survivor) and closed.</summary>
public sealed class CaseMerged : CaseEvent
{
    internal CaseMerged(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, CaseId survivorId, CaseStatusChange change)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        SurvivorId = survivorId;
        Change = change;
    }

    /// <summary>The case it was merged into.</summary>
    public CaseId SurvivorId { get; }

    /// <summary>The history entry that closed the duplicate.</summary>
    public CaseStatusChange Change { get; }
}
