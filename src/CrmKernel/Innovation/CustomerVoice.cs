using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Innovation;

/// <summary>
/// A customer's idea or feedback as recorded: tied to the customer and related parties, to a subject area, and to the
/// innovation touchpoint through which it came (whose id is the record's id). Obtain one from
/// <c>InnovationService.IngestAsync</c> or a store; an idea's record names the <see cref="Idea"/> it submitted.
/// </summary>
public sealed class CustomerVoice
{
    /// <summary>The longest title accepted.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The longest text accepted.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>The most related parties a record names.</summary>
    public const int MaxRelatedParties = 20;

    private CustomerVoice(TenantId tenantId, TouchpointId id, Instant recordedAt, NewCustomerVoice d, string title, string? text, CustomerId[] related, IdeaId? idea)
    {
        TenantId = tenantId;
        Id = id;
        RecordedAt = recordedAt;
        CustomerId = d.CustomerId;
        Kind = d.Kind;
        Subject = d.Subject;
        Channel = d.Channel;
        OccurredAt = d.OccurredAt;
        Source = d.Source;
        Title = title;
        Text = text;
        RelatedParties = related;
        Idea = idea;
    }

    /// <summary>The record's id: the id of the touchpoint it came through.</summary>
    public TouchpointId Id { get; }

    /// <summary>The owning tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>When the kernel recorded it.</summary>
    public Instant RecordedAt { get; }

    /// <summary>The customer speaking.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Idea or feedback.</summary>
    public VoiceKind Kind { get; }

    /// <summary>What it is about.</summary>
    public SubjectArea Subject { get; }

    /// <summary>The channel it came through.</summary>
    public ChannelId Channel { get; }

    /// <summary>When the customer said it.</summary>
    public Instant OccurredAt { get; }

    /// <summary>The source system and key.</summary>
    public ExternalIdentifier Source { get; }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>The text, if any.</summary>
    public string? Text { get; }

    /// <summary>Related parties, in the order given, without repeats.</summary>
    public IReadOnlyList<CustomerId> RelatedParties { get; }

    /// <summary>For an idea, the idea it submitted; for feedback, the idea it is about, if any.</summary>
    public IdeaId? Idea { get; }

    /// <summary>Validates <paramref name="details"/> into a record (the service calls it; adapters rebuild stored records with it).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The id of the touchpoint it came through.</param>
    /// <param name="recordedAt">When it was recorded.</param>
    /// <param name="details">The content.</param>
    /// <param name="idea">For an idea, the idea submitted (required); for feedback, the idea it is about or null (must equal <see cref="NewCustomerVoice.AboutIdea"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="details"/> or a required part is null.</exception>
    /// <exception cref="ArgumentException">A field breaks its rule (named in the message).</exception>
    /// <exception cref="InputLimitExceededException">The title, text or related parties are over their limits (<c>CRM-INPUT-001</c>).</exception>
    public static CustomerVoice Create(TenantId tenantId, TouchpointId id, Instant recordedAt, NewCustomerVoice details, IdeaId? idea)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        Preconditions.NotNull(details);
        Preconditions.Check(details.CustomerId != default, "The customer is the default id.", nameof(details));
        Preconditions.Check(Enum.IsDefined(details.Kind), "The kind is undefined.", nameof(details));
        Preconditions.Check(details.Subject != default, "The subject area is the default.", nameof(details));
        Preconditions.Check(details.Channel != default, "The channel is the default.", nameof(details));
        Preconditions.Check(details.Source is not null, "The source key is missing.", nameof(details));
        var title = Preconditions.MaxLength(Preconditions.NotBlank(details.Title, "details.Title").Trim(), MaxTitleLength, "details.Title");
        var text = details.Text is null ? null : Preconditions.MaxLength(Preconditions.NotBlank(details.Text, "details.Text").Trim(), MaxTextLength, "details.Text");
        var related = details.RelatedParties ?? throw new ArgumentNullException(nameof(details), "RelatedParties is null.");
        Preconditions.MaxCount(related.Count, MaxRelatedParties, "items", "details.RelatedParties");
        Preconditions.Check(!related.Contains(default) && !related.Contains(details.CustomerId), "A related party is the default id or the customer.", nameof(details));
        Preconditions.Check(details.AboutIdea is null || details.AboutIdea.Value != default, "AboutIdea is the default id.", nameof(details));
        Preconditions.Check(
            details.Kind == VoiceKind.Idea ? idea is { } i && i != default && details.AboutIdea is null : idea == details.AboutIdea,
            "An idea's record names the idea it submitted (and no AboutIdea); feedback names its AboutIdea or none.",
            nameof(idea));
        return new CustomerVoice(tenantId, id, recordedAt, details, title, text, [.. related.Distinct()], idea);
    }

    /// <summary>True when <paramref name="other"/> has the same content: every field but the id, the recording instant and the idea created.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool HasSameContent(CustomerVoice other)
    {
        Preconditions.NotNull(other);
        return TenantId == other.TenantId
               && CustomerId == other.CustomerId
               && Kind == other.Kind
               && Subject == other.Subject
               && Channel == other.Channel
               && OccurredAt == other.OccurredAt
               && Source.Equals(other.Source)
               && Title == other.Title
               && Text == other.Text
               && RelatedParties.SequenceEqual(other.RelatedParties)
               && (Kind == VoiceKind.Idea || Idea == other.Idea);
    }

    /// <summary>The content as delivered, e.g. for an adapter that stores it field by field.</summary>
    public NewCustomerVoice ToDetails() => new()
    {
        CustomerId = CustomerId,
        Kind = Kind,
        Subject = Subject,
        Channel = Channel,
        OccurredAt = OccurredAt,
        Source = Source,
        Title = Title,
        Text = Text,
        RelatedParties = RelatedParties,
        AboutIdea = Kind == VoiceKind.Feedback ? Idea : null,
    };
}
