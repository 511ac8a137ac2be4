using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>A case was escalated one level, perhaps raising its priority.</summary>
public sealed class CaseEscalated : CaseEvent
{
    internal CaseEscalated(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, CaseEscalation escalation)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        Escalation = escalation;
    }

    /// <summary>The escalation: level, priority after, when, by whom, why.</summary>
    public CaseEscalation Escalation { get; }
}
