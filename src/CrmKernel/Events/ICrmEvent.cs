using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Events;

/// <summary>
/// A domain event: something that happened to a CRM record. Aggregates raise events when their state
/// really changes; the kernel hands them to the host's event publisher only after the change is stored.
/// </summary>
public interface ICrmEvent
{
    /// <summary>A unique, time-ordered id for the event, for de-duplication by consumers.</summary>
    Guid EventId { get; }

    /// <summary>The tenant whose record changed.</summary>
    TenantId TenantId { get; }

    /// <summary>When the change happened, from the injected clock.</summary>
    Instant OccurredAt { get; }
}
