using CrmKernel.Events;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>
/// The base of every event a <see cref="Customer"/> raises. Subscribe to the concrete types you care
/// about; each names the customer and carries the new state of what changed.
/// </summary>
public abstract class CustomerEvent : ICrmEvent
{
    private protected CustomerEvent(TenantId tenantId, CustomerId customerId, Instant occurredAt)
    {
        EventId = TimeOrderedGuid.Next();
        TenantId = tenantId;
        CustomerId = customerId;
        OccurredAt = occurredAt;
    }

    /// <inheritdoc />
    public Guid EventId { get; private set; }

    /// <inheritdoc />
    public TenantId TenantId { get; }

    /// <summary>The customer the event is about.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gives an event read back from an outbox the id it was stored with.</summary>
    internal CustomerEvent WithEventId(Guid eventId)
    {
        EventId = eventId;
        return this;
    }

    /// <inheritdoc />
    public Instant OccurredAt { get; }
}
