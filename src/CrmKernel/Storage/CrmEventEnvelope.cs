using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Storage;

/// <summary>
/// A domain event as stored in an outbox: ids, type and time as plain fields and the event's data as a
/// JSON payload written by the kernel. Adapters store and return envelopes verbatim; they never need to
/// understand the payload.
/// </summary>
public sealed class CrmEventEnvelope : IEquatable<CrmEventEnvelope>
{
    /// <summary>Creates an envelope (adapters use it to rebuild one from a row).</summary>
    /// <param name="eventId">The event's id (non-empty).</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="aggregateType">The kind of record, e.g. <c>customer</c>.</param>
    /// <param name="aggregateId">The record's id in text form.</param>
    /// <param name="aggregateVersion">The record's version the event was committed with (1 or more).</param>
    /// <param name="eventType">The event type's name, e.g. <c>CustomerTagged</c>.</param>
    /// <param name="occurredAt">When it happened.</param>
    /// <param name="payload">The event's data as JSON.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">An id is empty, a text is blank, or the version is below 1.</exception>
    public CrmEventEnvelope(Guid eventId, TenantId tenantId, string aggregateType, string aggregateId, long aggregateVersion, string eventType, Instant occurredAt, string payload)
    {
        Preconditions.Check(eventId != Guid.Empty, "The event id must not be empty.", nameof(eventId));
        EventId = eventId;
        TenantId = Preconditions.NotDefault(tenantId);
        AggregateType = Preconditions.NotBlank(aggregateType);
        AggregateId = Preconditions.NotBlank(aggregateId);
        Preconditions.Check(aggregateVersion >= 1, "The aggregate version must be 1 or more.", nameof(aggregateVersion));
        AggregateVersion = aggregateVersion;
        EventType = Preconditions.NotBlank(eventType);
        OccurredAt = occurredAt;
        Payload = Preconditions.NotNull(payload);
    }

    /// <summary>The event's id.</summary>
    public Guid EventId { get; }

    /// <summary>The tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The kind of record the event is about, e.g. <c>customer</c>.</summary>
    public string AggregateType { get; }

    /// <summary>The record's id in text form.</summary>
    public string AggregateId { get; }

    /// <summary>The record version committed with the event.</summary>
    public long AggregateVersion { get; }

    /// <summary>The event type's name.</summary>
    public string EventType { get; }

    /// <summary>When the event happened.</summary>
    public Instant OccurredAt { get; }

    /// <summary>The event's data as JSON, written and read by the kernel.</summary>
    public string Payload { get; }

    /// <inheritdoc />
    public bool Equals(CrmEventEnvelope? other)
        => other is not null
           && EventId == other.EventId
           && TenantId == other.TenantId
           && AggregateType == other.AggregateType
           && AggregateId == other.AggregateId
           && AggregateVersion == other.AggregateVersion
           && EventType == other.EventType
           && OccurredAt == other.OccurredAt
           && Payload == other.Payload;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CrmEventEnvelope);

    /// <inheritdoc />
    public override int GetHashCode() => EventId.GetHashCode();
}
