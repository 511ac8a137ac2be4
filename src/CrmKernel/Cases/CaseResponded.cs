using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>An agent responded to the customer on a case; the first response stops the first-response clock.</summary>
public sealed class CaseResponded : CaseEvent
{
    internal CaseResponded(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, bool isFirstResponse)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        IsFirstResponse = isFirstResponse;
    }

    /// <summary>True for the case's first agent response.</summary>
    public bool IsFirstResponse { get; }
}
