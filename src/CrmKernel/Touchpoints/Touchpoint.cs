using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Touchpoints;

/// <summary>
/// A recorded contact with a customer on one channel: immutable, validated, and the unit of the customer's
/// timeline. Marketing, sales, service and innovation all add touchpoints to the one customer record.
/// Obtain one from <c>TouchpointIngestion</c> or a store; storage adapters rebuild one with
/// <see cref="Create"/>.
/// </summary>
public sealed class Touchpoint
{
    /// <summary>The most participants a touchpoint holds.</summary>
    public const int MaxParticipants = 20;

    /// <summary>The most product references a touchpoint holds.</summary>
    public const int MaxProducts = 50;

    /// <summary>The longest product or campaign reference.</summary>
    public const int MaxReferenceLength = 128;

    private Touchpoint(TenantId tenantId, TouchpointId id, Instant recordedAt, NewTouchpoint d, TouchpointParticipant[] participants, string[] products, string? campaign)
        : this(tenantId, id, recordedAt, d.CustomerId, d.Channel, d.Direction, d.Function, d.Kind, d.OccurredAt, d.Source, participants, d.Outcome, d.Satisfaction, d.Sentiment, d.Cost, d.Revenue, products, campaign)
    {
    }

    /// <summary>
    /// Builds a touchpoint from values that were validated when it was recorded (what <see cref="Create"/> checked, or a
    /// store's own rows, as the in-memory store's columns) without validating again; never for input.
    /// </summary>
    internal Touchpoint(
        TenantId tenantId,
        TouchpointId id,
        Instant recordedAt,
        CustomerId customerId,
        ChannelId channel,
        InteractionDirection direction,
        CrmFunction function,
        TouchpointKind kind,
        Instant occurredAt,
        ExternalIdentifier source,
        IReadOnlyList<TouchpointParticipant> participants,
        TouchpointOutcome? outcome,
        SatisfactionScore? satisfaction,
        Sentiment? sentiment,
        Money? cost,
        Money? revenue,
        IReadOnlyList<string> productIds,
        string? campaignId)
    {
        TenantId = tenantId;
        Id = id;
        RecordedAt = recordedAt;
        CustomerId = customerId;
        Channel = channel;
        Direction = direction;
        Function = function;
        Kind = kind;
        OccurredAt = occurredAt;
        Source = source;
        Participants = participants;
        Outcome = outcome;
        Satisfaction = satisfaction;
        Sentiment = sentiment;
        Cost = cost;
        Revenue = revenue;
        ProductIds = productIds;
        CampaignId = campaignId;
    }

    /// <summary>The same touchpoint addressed to <paramref name="customerId"/>: what a merge store stores when a touchpoint arrives for a merged-away customer.</summary>
    public Touchpoint WithCustomer(CustomerId customerId)
        => new(TenantId, Id, RecordedAt, customerId, Channel, Direction, Function, Kind, OccurredAt, Source, Participants, Outcome, Satisfaction, Sentiment, Cost, Revenue, ProductIds, CampaignId);

    /// <summary>The touchpoint's id.</summary>
    public TouchpointId Id { get; }

    /// <summary>The owning tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The customer the contact was with.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>The channel.</summary>
    public ChannelId Channel { get; }

    /// <summary>Inbound or outbound.</summary>
    public InteractionDirection Direction { get; }

    /// <summary>The CRM function served.</summary>
    public CrmFunction Function { get; }

    /// <summary>The kind of contact.</summary>
    public TouchpointKind Kind { get; }

    /// <summary>When the contact happened.</summary>
    public Instant OccurredAt { get; }

    /// <summary>When the kernel recorded it.</summary>
    public Instant RecordedAt { get; }

    /// <summary>The source system and its key.</summary>
    public ExternalIdentifier Source { get; }

    /// <summary>Others who took part.</summary>
    public IReadOnlyList<TouchpointParticipant> Participants { get; }

    /// <summary>How it ended, if known.</summary>
    public TouchpointOutcome? Outcome { get; }

    /// <summary>The customer's survey answer, if any.</summary>
    public SatisfactionScore? Satisfaction { get; }

    /// <summary>The tone, if measured.</summary>
    public Sentiment? Sentiment { get; }

    /// <summary>The cost to the enterprise, if known.</summary>
    public Money? Cost { get; }

    /// <summary>Attributed revenue, if any.</summary>
    public Money? Revenue { get; }

    /// <summary>Products concerned.</summary>
    public IReadOnlyList<string> ProductIds { get; }

    /// <summary>The campaign, if any.</summary>
    public string? CampaignId { get; }

    /// <summary>The timeline position: occurred-at, ties broken by id.</summary>
    public TimelinePosition Position => new(OccurredAt, Id);

    /// <summary>
    /// Validates <paramref name="details"/> into a touchpoint. <c>TouchpointIngestion</c> calls it with a new
    /// id and the clock's instant; storage adapters call it to rebuild a stored touchpoint.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="details"/> or one of its required references is null.</exception>
    /// <exception cref="ArgumentException">A field breaks a rule (named in the message): default ids, channel or kind;
    /// undefined direction or function; a negative cost; cost and revenue in different currencies; too many or blank
    /// participants or product references.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxParticipants"/> participants or <see cref="MaxProducts"/>
    /// product references, or a product or campaign reference longer than <see cref="MaxReferenceLength"/> (<c>CRM-INPUT-001</c>).</exception>
    public static Touchpoint Create(TenantId tenantId, TouchpointId id, Instant recordedAt, NewTouchpoint details)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        Preconditions.NotNull(details);
        Field(details.CustomerId != default, "CustomerId is empty");
        Field(details.Channel != default, "Channel is empty");
        Field(Enum.IsDefined(details.Direction), "Direction is undefined");
        Field(Enum.IsDefined(details.Function), "Function is undefined");
        Field(details.Kind != default, "Kind is empty");
        Field(details.Source is not null, "Source is missing");
        Field(details.Outcome is null || details.Outcome.Value != default, "Outcome is empty");
        Field(details.Cost is null || !details.Cost.Value.IsNegative, "Cost is negative");
        Field(details.Cost is null || details.Revenue is null || details.Cost.Value.Currency == details.Revenue.Value.Currency, "Cost and Revenue are in different currencies");
        var participants = details.Participants ?? throw new ArgumentNullException(nameof(details), "Participants is null.");
        Preconditions.MaxCount(participants.Count, MaxParticipants, "items", "details.Participants");
        Field(participants.Count <= MaxParticipants && NoneNull(participants), $"Participants holds null or more than {MaxParticipants}");
        var products = details.ProductIds ?? throw new ArgumentNullException(nameof(details), "ProductIds is null.");
        Preconditions.MaxCount(products.Count, MaxProducts, "items", "details.ProductIds");
        for (var i = 0; i < products.Count; i++)
        {
            Preconditions.MaxCount(products[i]?.AsSpan().Trim().Length ?? 0, MaxReferenceLength, "characters", "details.ProductIds");
        }

        Preconditions.MaxCount(details.CampaignId.AsSpan().Trim().Length, MaxReferenceLength, "characters", "details.CampaignId");
        Field(products.Count <= MaxProducts && AllReferences(products), $"ProductIds holds a blank or too long reference, or more than {MaxProducts}");
        Field(details.CampaignId is null || IsReference(details.CampaignId), "CampaignId is blank or too long");
        return new Touchpoint(
            tenantId,
            id,
            recordedAt,
            details,
            participants.Count == 0 ? [] : [.. participants],
            products.Count == 0 ? [] : Trimmed(products),
            details.CampaignId?.Trim());
    }

    /// <summary>
    /// True when <paramref name="other"/> describes the same contact: every field equal except the id and
    /// recorded-at instant. Ingestion uses it to tell a harmless re-delivery from a conflicting one.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool HasSameContent(Touchpoint other)
    {
        Preconditions.NotNull(other);
        return TenantId == other.TenantId
               && CustomerId == other.CustomerId
               && Channel == other.Channel
               && Direction == other.Direction
               && Function == other.Function
               && Kind == other.Kind
               && OccurredAt == other.OccurredAt
               && Source.Equals(other.Source)
               && Participants.SequenceEqual(other.Participants)
               && Outcome == other.Outcome
               && Equals(Satisfaction, other.Satisfaction)
               && Sentiment == other.Sentiment
               && Cost == other.Cost
               && Revenue == other.Revenue
               && ProductIds.SequenceEqual(other.ProductIds, StringComparer.Ordinal)
               && CampaignId == other.CampaignId;
    }

    /// <summary>Returns the content as a <see cref="NewTouchpoint"/>, e.g. to re-record it elsewhere or for adapters that store it field by field.</summary>
    public NewTouchpoint ToDetails() => new()
    {
        CustomerId = CustomerId,
        Channel = Channel,
        Direction = Direction,
        Function = Function,
        Kind = Kind,
        OccurredAt = OccurredAt,
        Source = Source,
        Participants = Participants,
        Outcome = Outcome,
        Satisfaction = Satisfaction,
        Sentiment = Sentiment,
        Cost = Cost,
        Revenue = Revenue,
        ProductIds = ProductIds,
        CampaignId = CampaignId,
    };

    // Create runs once per ingested touchpoint: the checks below use no LINQ and format a message only on failure,
    // so a valid touchpoint costs no allocation beyond the record itself.
    private static bool IsReference(string? reference)
    {
        if (reference is null)
        {
            return false;
        }

        var trimmed = reference.AsSpan().Trim();
        return trimmed.Length is > 0 and <= MaxReferenceLength && !Preconditions.HasControlCharacter(trimmed);
    }

    private static bool NoneNull(IReadOnlyList<TouchpointParticipant> participants)
    {
        for (var i = 0; i < participants.Count; i++)
        {
            if (participants[i] is null)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllReferences(IReadOnlyList<string> products)
    {
        for (var i = 0; i < products.Count; i++)
        {
            if (!IsReference(products[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string[] Trimmed(IReadOnlyList<string> products)
    {
        var trimmed = new string[products.Count];
        for (var i = 0; i < trimmed.Length; i++)
        {
            trimmed[i] = products[i].Trim();
        }

        return trimmed;
    }

    private static void Field(bool condition, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"The touchpoint is invalid: {rule}.", "details");
        }
    }

    private static void Field(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref Preconditions.FailureMessage rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"The touchpoint is invalid: {rule.ToStringAndClear()}.", "details");
        }
    }
}
