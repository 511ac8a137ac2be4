using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>A duplicate case was merged into this case: its touchpoints are attached here.</summary>
public sealed class CaseDuplicateAbsorbed : CaseEvent
{
    internal CaseDuplicateAbsorbed(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, CaseId duplicateId, IReadOnlyList<TouchpointId> touchpointIds)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        DuplicateId = duplicateId;
        TouchpointIds = touchpointIds;
    }

    /// <summary>The duplicate, now closed.</summary>
    public CaseId DuplicateId { get; }

    /// <summary>The duplicate's touchpoints newly attached to this case.</summary>
    public IReadOnlyList<TouchpointId> TouchpointIds { get; }
}
