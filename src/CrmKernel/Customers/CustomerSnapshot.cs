using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Customers;

/// <summary>
/// The full state of a <see cref="Customer"/> as plain data: what a storage adapter writes, and what it
/// fills in from its rows to rebuild the customer with <see cref="Customer.Rehydrate(CustomerSnapshot, IClock)"/>.
/// </summary>
/// <remarks>
/// A snapshot has no rules of its own; <see cref="Customer.Rehydrate(CustomerSnapshot, IClock)"/> checks every
/// invariant again, so a corrupt row fails loudly instead of producing a half-valid customer. Application code
/// normally never needs a snapshot.
/// </remarks>
public sealed class CustomerSnapshot
{
    /// <summary>The customer's id.</summary>
    public required CustomerId Id { get; init; }

    /// <summary>The owning tenant.</summary>
    public required TenantId TenantId { get; init; }

    /// <summary>The profile; its type gives the party kind.</summary>
    public required PartyProfile Profile { get; init; }

    /// <summary>Contact points in the order they were added.</summary>
    public IReadOnlyList<CustomerContactPoint> ContactPoints { get; init; } = [];

    /// <summary>External identifiers in the order they were added.</summary>
    public IReadOnlyList<ExternalIdentifier> ExternalIdentifiers { get; init; } = [];

    /// <summary>Tags, in any order.</summary>
    public IReadOnlyCollection<CustomerTag> Tags { get; init; } = [];

    /// <summary>Custom attributes by name.</summary>
    public IReadOnlyDictionary<string, CustomAttributeValue> CustomAttributes { get; init; } = new Dictionary<string, CustomAttributeValue>();

    /// <summary>The IANA (TZDB) id of the customer's home time zone, or null.</summary>
    public string? HomeTimeZoneId { get; init; }

    /// <summary>When the customer was registered.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When the customer last changed.</summary>
    public required Instant UpdatedAt { get; init; }

    /// <summary>The stored version (1 or more for a stored customer; 0 for one never stored).</summary>
    public required long Version { get; init; }

    /// <summary>The current lifecycle stage, or null while no transition has happened; must be the last transition's target.</summary>
    public Lifecycle.LifecycleStage? LifecycleStage { get; init; }

    /// <summary>The lifecycle transitions, oldest first; they must chain and be in time order.</summary>
    public IReadOnlyList<Lifecycle.LifecycleTransitionRecord> LifecycleHistory { get; init; } = [];

    /// <summary>The lifecycle facts, or null for none (<see cref="Lifecycle.LifecycleFacts.Empty"/>).</summary>
    public Lifecycle.LifecycleFacts? LifecycleFacts { get; init; }
    /// <summary>The consent ledger's entries in the order recorded (the full history).</summary>
    public IReadOnlyList<Consent.ConsentEntry> Consents { get; init; } = [];
}
