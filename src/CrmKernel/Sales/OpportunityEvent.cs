using CrmKernel.Events;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Sales;

/// <summary>
/// The base of every event an <see cref="Opportunity"/> raises. Subscribe to the concrete types you care about
/// (<see cref="OpportunityWon"/> to book revenue, <see cref="OpportunityStageChanged"/> for pipeline dashboards); each
/// names the deal and its customer.
/// </summary>
public abstract class OpportunityEvent : ICrmEvent
{
    private protected OpportunityEvent(TenantId tenantId, OpportunityId opportunityId, CustomerId customerId, Instant occurredAt)
    {
        EventId = TimeOrderedGuid.Next();
        TenantId = tenantId;
        OpportunityId = opportunityId;
        CustomerId = customerId;
        OccurredAt = occurredAt;
    }

    /// <inheritdoc />
    public Guid EventId { get; private set; }

    /// <inheritdoc />
    public TenantId TenantId { get; }

    /// <summary>The deal the event is about.</summary>
    public OpportunityId OpportunityId { get; }

    /// <summary>The deal's customer.</summary>
    public CustomerId CustomerId { get; }

    /// <inheritdoc />
    public Instant OccurredAt { get; }

    /// <summary>Gives an event read back from an outbox the id it was stored with.</summary>
    internal OpportunityEvent WithEventId(Guid eventId)
    {
        EventId = eventId;
        return this;
    }
}
