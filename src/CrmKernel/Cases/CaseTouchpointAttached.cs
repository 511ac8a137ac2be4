using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>A contact (touchpoint) was attached to a case.</summary>
public sealed class CaseTouchpointAttached : CaseEvent
{
    internal CaseTouchpointAttached(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, TouchpointId touchpointId)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        TouchpointId = touchpointId;
    }

    /// <summary>The attached touchpoint.</summary>
    public TouchpointId TouchpointId { get; }
}
