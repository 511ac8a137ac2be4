using CrmKernel.Events;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>
/// The base of every event a <see cref="ServiceCase"/> raises. Subscribe to the concrete types you care about
/// (<see cref="CaseResolved"/> for satisfaction follow-ups, <see cref="CaseEscalated"/> to page a manager); each names
/// the case and its customer.
/// </summary>
public abstract class CaseEvent : ICrmEvent
{
    private protected CaseEvent(TenantId tenantId, CaseId caseId, CustomerId customerId, Instant occurredAt)
    {
        EventId = TimeOrderedGuid.Next();
        TenantId = tenantId;
        CaseId = caseId;
        CustomerId = customerId;
        OccurredAt = occurredAt;
    }

    /// <inheritdoc />
    public Guid EventId { get; private set; }

    /// <inheritdoc />
    public TenantId TenantId { get; }

    /// <summary>The case the event is about.</summary>
    public CaseId CaseId { get; }

    /// <summary>The case's customer.</summary>
    public CustomerId CustomerId { get; }

    /// <inheritdoc />
    public Instant OccurredAt { get; }

    /// <summary>Gives an event read back from an outbox the id it was stored with.</summary>
    internal CaseEvent WithEventId(Guid eventId)
    {
        EventId = eventId;
        return this;
    }
}
