using CrmKernel.ContactPoints;
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

/// <summary>A new customer was registered.</summary>
public sealed class CustomerRegistered : CustomerEvent
{
    internal CustomerRegistered(TenantId tenantId, CustomerId customerId, Instant occurredAt, PartyProfile profile)
        : base(tenantId, customerId, occurredAt) => Profile = profile;

    /// <summary>The profile the customer was registered with; its type tells the party kind.</summary>
    public PartyProfile Profile { get; }
}

/// <summary>The customer's profile changed.</summary>
public sealed class CustomerProfileChanged : CustomerEvent
{
    internal CustomerProfileChanged(TenantId tenantId, CustomerId customerId, Instant occurredAt, PartyProfile profile)
        : base(tenantId, customerId, occurredAt) => Profile = profile;

    /// <summary>The new profile.</summary>
    public PartyProfile Profile { get; }
}

/// <summary>A contact point was added to the customer.</summary>
public sealed class ContactPointAdded : CustomerEvent
{
    internal ContactPointAdded(TenantId tenantId, CustomerId customerId, Instant occurredAt, CustomerContactPoint contactPoint)
        : base(tenantId, customerId, occurredAt) => ContactPoint = contactPoint;

    /// <summary>The contact point as held on the customer (with its label and primary flag).</summary>
    public CustomerContactPoint ContactPoint { get; }
}

/// <summary>A contact point was removed from the customer.</summary>
public sealed class ContactPointRemoved : CustomerEvent
{
    internal ContactPointRemoved(TenantId tenantId, CustomerId customerId, Instant occurredAt, ContactPoint contactPoint, bool wasPrimary)
        : base(tenantId, customerId, occurredAt)
    {
        ContactPoint = contactPoint;
        WasPrimary = wasPrimary;
    }

    /// <summary>The contact point that was removed.</summary>
    public ContactPoint ContactPoint { get; }

    /// <summary>Whether it was the primary one of its kind (the kind then has no primary until one is chosen).</summary>
    public bool WasPrimary { get; }
}

/// <summary>A contact point became the customer's primary one of its kind.</summary>
public sealed class PrimaryContactPointChanged : CustomerEvent
{
    internal PrimaryContactPointChanged(TenantId tenantId, CustomerId customerId, Instant occurredAt, ContactPoint contactPoint, ContactPoint? previous)
        : base(tenantId, customerId, occurredAt)
    {
        ContactPoint = contactPoint;
        Previous = previous;
    }

    /// <summary>The new primary contact point.</summary>
    public ContactPoint ContactPoint { get; }

    /// <summary>The contact point that was primary before, or null.</summary>
    public ContactPoint? Previous { get; }
}

/// <summary>An external identifier was added to the customer.</summary>
public sealed class ExternalIdentifierAdded : CustomerEvent
{
    internal ExternalIdentifierAdded(TenantId tenantId, CustomerId customerId, Instant occurredAt, ExternalIdentifier identifier)
        : base(tenantId, customerId, occurredAt) => Identifier = identifier;

    /// <summary>The identifier added.</summary>
    public ExternalIdentifier Identifier { get; }
}

/// <summary>An external identifier was removed from the customer.</summary>
public sealed class ExternalIdentifierRemoved : CustomerEvent
{
    internal ExternalIdentifierRemoved(TenantId tenantId, CustomerId customerId, Instant occurredAt, ExternalIdentifier identifier)
        : base(tenantId, customerId, occurredAt) => Identifier = identifier;

    /// <summary>The identifier removed.</summary>
    public ExternalIdentifier Identifier { get; }
}

/// <summary>The customer was tagged.</summary>
public sealed class CustomerTagged : CustomerEvent
{
    internal CustomerTagged(TenantId tenantId, CustomerId customerId, Instant occurredAt, CustomerTag tag)
        : base(tenantId, customerId, occurredAt) => Tag = tag;

    /// <summary>The tag added.</summary>
    public CustomerTag Tag { get; }
}

/// <summary>A tag was removed from the customer.</summary>
public sealed class CustomerUntagged : CustomerEvent
{
    internal CustomerUntagged(TenantId tenantId, CustomerId customerId, Instant occurredAt, CustomerTag tag)
        : base(tenantId, customerId, occurredAt) => Tag = tag;

    /// <summary>The tag removed.</summary>
    public CustomerTag Tag { get; }
}

/// <summary>A custom attribute was set to a new value.</summary>
public sealed class CustomAttributeSet : CustomerEvent
{
    internal CustomAttributeSet(TenantId tenantId, CustomerId customerId, Instant occurredAt, string name, CustomAttributeValue value)
        : base(tenantId, customerId, occurredAt)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary>The new value.</summary>
    public CustomAttributeValue Value { get; }
}

/// <summary>A custom attribute was removed.</summary>
public sealed class CustomAttributeRemoved : CustomerEvent
{
    internal CustomAttributeRemoved(TenantId tenantId, CustomerId customerId, Instant occurredAt, string name)
        : base(tenantId, customerId, occurredAt) => Name = name;

    /// <summary>The attribute's name.</summary>
    public string Name { get; }
}

/// <summary>The customer's home time zone changed.</summary>
public sealed class HomeTimeZoneChanged : CustomerEvent
{
    internal HomeTimeZoneChanged(TenantId tenantId, CustomerId customerId, Instant occurredAt, DateTimeZone? zone)
        : base(tenantId, customerId, occurredAt) => Zone = zone;

    /// <summary>The new zone, or null when it was cleared.</summary>
    public DateTimeZone? Zone { get; }
}
