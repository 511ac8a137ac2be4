using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>A case was opened for a customer, directly or from an inbound touchpoint.</summary>
public sealed class CaseOpened : CaseEvent
{
    internal CaseOpened(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt, string subject, string category, CasePriority priority, TouchpointId? originTouchpointId, bool isComplaint, string? slaPolicy, CaseStatusChange change)
        : base(tenantId, caseId, customerId, occurredAt)
    {
        Subject = subject;
        Category = category;
        Priority = priority;
        OriginTouchpointId = originTouchpointId;
        IsComplaint = isComplaint;
        SlaPolicy = slaPolicy;
        Change = change;
    }

    /// <summary>The subject.</summary>
    public string Subject { get; }

    /// <summary>The category (the host's taxonomy).</summary>
    public string Category { get; }

    /// <summary>The priority.</summary>
    public CasePriority Priority { get; }

    /// <summary>The touchpoint it was opened from; null when opened directly.</summary>
    public TouchpointId? OriginTouchpointId { get; }

    /// <summary>True when the case follows a complaint.</summary>
    public bool IsComplaint { get; }

    /// <summary>The SLA policy it runs under; null for none.</summary>
    public string? SlaPolicy { get; }

    /// <summary>The history entry that opened it.</summary>
    public CaseStatusChange Change { get; }
}
