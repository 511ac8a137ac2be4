using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Touchpoints;

/// <summary>
/// A contact to record, as a source system reports it: fill it in and pass it to
/// <c>TouchpointIngestion.RecordAsync</c>, which validates it into an immutable <see cref="Touchpoint"/>.
/// </summary>
/// <remarks>
/// The <see cref="Source"/> (source system + its key) makes ingestion idempotent: recording the same contact
/// twice stores it once, and a different contact under the same key is refused. Rules are checked when the
/// touchpoint is recorded (see <see cref="Touchpoint.Create"/>), not when this object is filled in.
/// </remarks>
public sealed class NewTouchpoint
{
    /// <summary>The customer the contact was with.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>The channel it happened on.</summary>
    public required ChannelId Channel { get; init; }

    /// <summary>Inbound (the customer reached out) or outbound.</summary>
    public required InteractionDirection Direction { get; init; }

    /// <summary>The CRM function it served.</summary>
    public required CrmFunction Function { get; init; }

    /// <summary>What kind of contact it was.</summary>
    public required TouchpointKind Kind { get; init; }

    /// <summary>When it happened.</summary>
    public required Instant OccurredAt { get; init; }

    /// <summary>The source system and its key for this contact, e.g. <c>webshop:order-1001</c>.</summary>
    public required ExternalIdentifier Source { get; init; }

    /// <summary>Others who took part (at most 20).</summary>
    public IReadOnlyList<TouchpointParticipant> Participants { get; init; } = [];

    /// <summary>How it ended, if known.</summary>
    public TouchpointOutcome? Outcome { get; init; }

    /// <summary>The customer's survey answer about this contact, if any.</summary>
    public SatisfactionScore? Satisfaction { get; init; }

    /// <summary>The tone of the contact, if measured.</summary>
    public Sentiment? Sentiment { get; init; }

    /// <summary>What the contact cost the enterprise (zero or more).</summary>
    public Money? Cost { get; init; }

    /// <summary>Revenue attributed to the contact (negative for refunds).</summary>
    public Money? Revenue { get; init; }

    /// <summary>The products concerned (host product ids, at most 50).</summary>
    public IReadOnlyList<string> ProductIds { get; init; } = [];

    /// <summary>The campaign it belongs to, if any.</summary>
    public string? CampaignId { get; init; }
}
