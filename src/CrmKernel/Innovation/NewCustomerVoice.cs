using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Innovation;

/// <summary>
/// An idea or a piece of feedback as a source system delivers it, before <c>InnovationService.IngestAsync</c> records it:
/// who (and which related parties), about what, through which channel, when, and the source key that makes delivering it
/// again harmless.
/// </summary>
public sealed class NewCustomerVoice
{
    /// <summary>The customer speaking.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Idea or feedback.</summary>
    public required VoiceKind Kind { get; init; }

    /// <summary>What it is about.</summary>
    public required SubjectArea Subject { get; init; }

    /// <summary>The channel it came through (any: web form, email, store visit, call).</summary>
    public required ChannelId Channel { get; init; }

    /// <summary>When the customer said it.</summary>
    public required Instant OccurredAt { get; init; }

    /// <summary>The source system and its key: the same key again with the same content is one record.</summary>
    public required ExternalIdentifier Source { get; init; }

    /// <summary>A short title (at most <see cref="CustomerVoice.MaxTitleLength"/> characters).</summary>
    public required string Title { get; init; }

    /// <summary>The text, if any (at most <see cref="CustomerVoice.MaxTextLength"/> characters).</summary>
    public string? Text { get; init; }

    /// <summary>Other customers it concerns or who joined in (a household, a colleague); at most <see cref="CustomerVoice.MaxRelatedParties"/>.</summary>
    public IReadOnlyList<CustomerId> RelatedParties { get; init; } = [];

    /// <summary>For feedback: the idea it is about, if any.</summary>
    public IdeaId? AboutIdea { get; init; }
}
