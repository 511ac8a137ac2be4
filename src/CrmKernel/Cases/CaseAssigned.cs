using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>A case was given to an owner (an agent or a queue).</summary>
public sealed class CaseAssigned : CaseEvent
{
    internal CaseAssigned(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, string owner)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        Owner = owner;
    }

    /// <summary>The new owner's opaque id.</summary>
    public string Owner { get; }
}
