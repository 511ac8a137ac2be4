using System.Runtime.CompilerServices;
using CrmKernel.Channels;
using CrmKernel.Consent;
using CrmKernel.Diagnostics;
using CrmKernel.Innovation;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Services.Channels;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Services.Innovation;

/// <summary>
/// The innovation loop: records customers' ideas and feedback (idempotently, as innovation touchpoints), moves ideas
/// through their workflow, takes votes and comments, asks a segment to vote, and — once an idea ships or is declined —
/// tells every participant who consented, exactly once. Resolve it from DI or create it over the stores.
/// </summary>
/// <remarks>
/// Every change to an idea is read, checked by the <see cref="Idea"/> aggregate, and saved with the version it was read
/// at: a concurrent change makes the save throw <see cref="ConcurrencyConflictException"/> and nothing is changed.
/// </remarks>
public sealed class InnovationService
{
    /// <summary>The campaign id prefix of <see cref="AskToVoteAsync"/>: <c>idea-vote/{idea}</c>.</summary>
    public const string AskToVoteCampaignPrefix = "idea-vote/";

    /// <summary>The dispatch key prefix of the closed loop: <c>idea-outcome/{idea}/{shipped|declined}/{customer}</c>.</summary>
    public const string OutcomeKeyPrefix = "idea-outcome/";

    private const int PageSize = 500;

    private readonly IIdeaStore _ideas;
    private readonly CustomerRepository _customers;
    private readonly TouchpointIngestion _ingestion;
    private readonly ChannelDispatcher? _dispatcher;
    private readonly IIdeaParticipantSource[] _participantSources;
    private readonly IClock _clock;

    /// <summary>Creates the service (DI does this for you).</summary>
    /// <param name="ideas">Where ideas, voice records and votes are kept.</param>
    /// <param name="customers">Where customers are checked to exist.</param>
    /// <param name="ingestion">The pipeline through which voice records become innovation touchpoints.</param>
    /// <param name="clock">The clock that dates every change.</param>
    /// <param name="dispatcher">The channel dispatcher, needed to ask a segment to vote and to close the loop; null without channels.</param>
    /// <param name="participantSources">Further sources of participants for the closed loop (e.g. market traders); none when null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null, or a participant source is.</exception>
    public InnovationService(IIdeaStore ideas, CustomerRepository customers, TouchpointIngestion ingestion, IClock clock, ChannelDispatcher? dispatcher = null, IEnumerable<IIdeaParticipantSource>? participantSources = null)
    {
        _ideas = Preconditions.NotNull(ideas);
        _customers = Preconditions.NotNull(customers);
        _ingestion = Preconditions.NotNull(ingestion);
        _clock = Preconditions.NotNull(clock);
        _dispatcher = dispatcher;
        _participantSources = participantSources is null ? [] : [.. participantSources];
        Preconditions.Check(_participantSources.All(s => s is not null), "The participant sources must not contain null.", nameof(participantSources));
    }

    /// <summary>The touchpoint kind of a closed-loop message (<c>idea-outcome</c>).</summary>
    public static TouchpointKind OutcomeNoticeKind { get; } = new("idea-outcome");

    /// <summary>
    /// Records a customer's idea or feedback: an inbound innovation touchpoint under the record's source key, the record,
    /// and for an idea a new <see cref="Idea"/> (status Submitted). The same source key with the same content again returns
    /// the record stored first and records nothing; with different content it is refused.
    /// </summary>
    /// <returns>The stored record (the earlier one for a re-delivery); for an idea, <see cref="CustomerVoice.Idea"/> names the idea.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="voice"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant is the default or a field breaks its rule (see <see cref="CustomerVoice.Create"/>).</exception>
    /// <exception cref="InputLimitExceededException">A field is over its limit (<c>CRM-INPUT-001</c>).</exception>
    /// <exception cref="CustomerNotFoundException">The customer does not exist.</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaNotFound"/>: feedback names an idea that does not exist.</exception>
    /// <exception cref="CustomerVoiceConflictException">The source key was recorded before with different content (<c>CRM-IDEA-006</c>); nothing was recorded.</exception>
    public async ValueTask<CustomerVoice> IngestAsync(TenantId tenantId, NewCustomerVoice voice, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(voice);
        var now = _clock.GetCurrentInstant();
        IdeaId? idea = voice.Kind == VoiceKind.Idea ? IdeaId.New() : voice.AboutIdea;
        var candidate = CustomerVoice.Create(tenantId, TouchpointId.New(), now, voice, idea);
        if (await _ideas.FindVoiceAsync(tenantId, candidate.Source, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return Same(stored, candidate);
        }

        _ = await _customers.FindAsync(tenantId, candidate.CustomerId, cancellationToken).ConfigureAwait(false)
            ?? throw new CustomerNotFoundException(tenantId, candidate.CustomerId);
        if (voice.Kind == VoiceKind.Feedback && voice.AboutIdea is { } about)
        {
            _ = await GetAsync(tenantId, about, cancellationToken).ConfigureAwait(false);
        }

        IngestionResult recorded;
        try
        {
            recorded = await _ingestion.RecordAsync(tenantId, TouchpointOf(candidate), cancellationToken).ConfigureAwait(false);
        }
        catch (TouchpointConflictException)
        {
            throw new CustomerVoiceConflictException(tenantId, candidate.Source);
        }

        var touchpoint = recorded.Touchpoint!;
        var record = CustomerVoice.Create(tenantId, touchpoint.Id, touchpoint.RecordedAt, voice, idea);
        var newIdea = voice.Kind == VoiceKind.Idea
            ? Idea.Submit(tenantId, idea!.Value, record.CustomerId, record.Title, record.Text, record.Subject, record.OccurredAt)
            : null;
        return Same(await _ideas.AddVoiceAsync(record, newIdea, cancellationToken).ConfigureAwait(false), record);
    }

    /// <summary>Records a change the company proposes, for customers to vote and comment on.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="title"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant or subject is the default, or the title is blank.</exception>
    /// <exception cref="InputLimitExceededException">The title or description is over its limit (<c>CRM-INPUT-001</c>).</exception>
    public async ValueTask<Idea> ProposeAsync(TenantId tenantId, string title, string? description, SubjectArea subject, CancellationToken cancellationToken = default)
    {
        var idea = Idea.Propose(tenantId, IdeaId.New(), title, description, subject, _clock.GetCurrentInstant());
        await _ideas.SaveAsync(idea, 0, cancellationToken).ConfigureAwait(false);
        return idea;
    }

    /// <summary>Reads an idea; null when there is none.</summary>
    /// <exception cref="ArgumentException">An id is the default.</exception>
    public ValueTask<Idea?> FindAsync(TenantId tenantId, IdeaId idea, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        return _ideas.FindAsync(tenantId, idea, cancellationToken);
    }

    /// <summary>Moves an idea to a status the workflow allows (any but Merged: see <see cref="MergeAsync"/>), recording the reason.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default, the status is undefined or Merged, or the reason is blank.</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaNotFound"/>, or a refusal of <see cref="Idea.MoveTo"/>.</exception>
    /// <exception cref="ConcurrencyConflictException">The idea changed meanwhile; nothing was changed.</exception>
    public async ValueTask<Idea> MoveAsync(TenantId tenantId, IdeaId idea, IdeaStatus to, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.Defined(to);
        Preconditions.NotNull(reason);
        var current = await GetAsync(tenantId, idea, cancellationToken).ConfigureAwait(false);
        var read = current.Version;
        current.MoveTo(to, reason, _clock.GetCurrentInstant());
        await _ideas.SaveAsync(current, read, cancellationToken).ConfigureAwait(false);
        return current;
    }

    /// <summary>Merges an idea into another open idea of the tenant, recording the reason; the target carries on.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default or the reason is blank.</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaNotFound"/> (either idea), <see cref="CrmErrorCodes.IdeaMergeTargetClosed"/>, or a refusal of <see cref="Idea.MergeInto"/>.</exception>
    /// <exception cref="ConcurrencyConflictException">The idea changed meanwhile; nothing was changed.</exception>
    public async ValueTask<Idea> MergeAsync(TenantId tenantId, IdeaId idea, IdeaId into, string reason, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(into);
        Preconditions.NotNull(reason);
        var current = await GetAsync(tenantId, idea, cancellationToken).ConfigureAwait(false);
        if (into != idea)
        {
            var target = await GetAsync(tenantId, into, cancellationToken).ConfigureAwait(false);
            if (target.IsClosed)
            {
                throw new InnovationRuleException(CrmErrorCodes.IdeaMergeTargetClosed, $"Idea {into} is {target.Status}; idea {idea} cannot be merged into it.");
            }
        }

        var read = current.Version;
        current.MergeInto(into, reason, _clock.GetCurrentInstant());
        await _ideas.SaveAsync(current, read, cancellationToken).ConfigureAwait(false);
        return current;
    }

    /// <summary>Adds a comment to an open idea, by a customer (who must exist, and then counts as a contributor) or by the company (<paramref name="author"/> null).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException">An id is the default or the text is blank.</exception>
    /// <exception cref="CustomerNotFoundException">The author does not exist.</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaNotFound"/>, or a refusal of <see cref="Idea.Comment"/>.</exception>
    /// <exception cref="ConcurrencyConflictException">The idea changed meanwhile; nothing was changed.</exception>
    public async ValueTask<Idea> CommentAsync(TenantId tenantId, IdeaId idea, CustomerId? author, string text, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(text);
        var current = await GetAsync(tenantId, idea, cancellationToken).ConfigureAwait(false);
        if (author is { } a)
        {
            await ExistingCustomerAsync(tenantId, a, cancellationToken).ConfigureAwait(false);
        }

        var read = current.Version;
        current.Comment(author, text, _clock.GetCurrentInstant());
        await _ideas.SaveAsync(current, read, cancellationToken).ConfigureAwait(false);
        return current;
    }

    /// <summary>Casts or changes a customer's vote on an open idea: one vote per customer and idea, the latest counting.</summary>
    /// <exception cref="ArgumentException">An id is the default or the value is undefined.</exception>
    /// <exception cref="CustomerNotFoundException">The customer does not exist.</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaNotFound"/> or <see cref="CrmErrorCodes.IdeaClosed"/>.</exception>
    public async ValueTask<IdeaVote> VoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, IdeaVoteValue value, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(customer);
        Preconditions.Defined(value);
        var current = await OpenAsync(tenantId, idea, cancellationToken).ConfigureAwait(false);
        await ExistingCustomerAsync(tenantId, customer, cancellationToken).ConfigureAwait(false);
        var vote = new IdeaVote(tenantId, current.Id, customer, value, _clock.GetCurrentInstant());
        await _ideas.SetVoteAsync(vote, cancellationToken).ConfigureAwait(false);
        return vote;
    }

    /// <summary>Withdraws a customer's vote on an open idea; false when they had none.</summary>
    /// <exception cref="ArgumentException">An id is the default.</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaNotFound"/> or <see cref="CrmErrorCodes.IdeaClosed"/>.</exception>
    public async ValueTask<bool> WithdrawVoteAsync(TenantId tenantId, IdeaId idea, CustomerId customer, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(customer);
        _ = await OpenAsync(tenantId, idea, cancellationToken).ConfigureAwait(false);
        return await _ideas.RemoveVoteAsync(tenantId, idea, customer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the members of a frozen segment to vote on an open idea: one campaign (<c>idea-vote/{idea}</c>) through the
    /// channel dispatcher, so consent for <paramref name="purpose"/>, quiet hours and frequency caps are checked for each
    /// member, and running it again sends nobody a second message.
    /// </summary>
    /// <returns>One result per member, in id order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An id, the channel or the purpose is the default.</exception>
    /// <exception cref="InvalidOperationException">The service was created without a channel dispatcher.</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaNotFound"/> or <see cref="CrmErrorCodes.IdeaClosed"/>.</exception>
    public IAsyncEnumerable<DispatchResult> AskToVoteAsync(SegmentSnapshot audience, IdeaId idea, ChannelId channel, ConsentPurpose purpose, MessageContent content, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(audience);
        Preconditions.NotNull(content);
        Preconditions.NotDefault(idea);
        Preconditions.NotDefault(channel);
        Preconditions.NotDefault(purpose);
        return AskToVote(Dispatcher(), audience, idea, channel, purpose, content, cancellationToken);
    }

    private async IAsyncEnumerable<DispatchResult> AskToVote(ChannelDispatcher dispatcher, SegmentSnapshot audience, IdeaId idea, ChannelId channel, ConsentPurpose purpose, MessageContent content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _ = await OpenAsync(audience.TenantId, idea, cancellationToken).ConfigureAwait(false);
        await foreach (var result in dispatcher.SendCampaignToSegmentAsync(AskToVoteCampaignPrefix + idea, channel, purpose, content, audience, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>
    /// Everyone who took part in an idea, each once, in id order: the customer who submitted it, every customer who
    /// commented, every voter, and the customers of each <see cref="IIdeaParticipantSource"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An id is the default.</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaNotFound"/>.</exception>
    public async ValueTask<IReadOnlyList<CustomerId>> GatherParticipantsAsync(TenantId tenantId, IdeaId idea, CancellationToken cancellationToken = default)
        => await GatherAsync(await GetAsync(tenantId, idea, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Closes the loop on a shipped or declined idea: sends every participant (see <see cref="GatherParticipantsAsync"/>)
    /// the message through the channel dispatcher, under the dispatch key <c>idea-outcome/{idea}/{outcome}/{customer}</c> and
    /// touchpoint kind <c>idea-outcome</c> (function Innovation). Consent for <paramref name="purpose"/>, quiet hours and caps
    /// are checked as for any dispatch; a participant already told is not told again, so running it again (or after a
    /// crash) tells only those not yet told. The message and its outcome land on each participant's timeline.
    /// </summary>
    /// <returns>One result per participant, in id order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    /// <exception cref="ArgumentException">An id, the channel or the purpose is the default.</exception>
    /// <exception cref="InvalidOperationException">The service was created without a channel dispatcher.</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaNotFound"/>, or <see cref="CrmErrorCodes.IdeaNotDecided"/>: the idea is neither shipped nor declined.</exception>
    public IAsyncEnumerable<DispatchResult> CloseTheLoopAsync(TenantId tenantId, IdeaId idea, ChannelId channel, ConsentPurpose purpose, MessageContent content, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        Preconditions.NotDefault(channel);
        Preconditions.NotDefault(purpose);
        Preconditions.NotNull(content);
        return CloseTheLoop(Dispatcher(), tenantId, idea, channel, purpose, content, cancellationToken);
    }

    private async IAsyncEnumerable<DispatchResult> CloseTheLoop(ChannelDispatcher dispatcher, TenantId tenantId, IdeaId idea, ChannelId channel, ConsentPurpose purpose, MessageContent content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = await GetAsync(tenantId, idea, cancellationToken).ConfigureAwait(false);
        if (current.Status is not (IdeaStatus.Shipped or IdeaStatus.Declined))
        {
            throw new InnovationRuleException(CrmErrorCodes.IdeaNotDecided, $"Idea {idea} is {current.Status}; the loop is closed when it is shipped or declined.");
        }

        var outcome = current.Status == IdeaStatus.Shipped ? "shipped" : "declined";
        foreach (var customer in await GatherAsync(current, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var request = new DispatchRequest(customer, channel, purpose, CrmFunction.Innovation, content, OutcomeKey(idea, outcome, customer), kind: OutcomeNoticeKind);
            yield return await dispatcher.DispatchAsync(tenantId, request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The closed loop's dispatch key for one participant: <c>idea-outcome/{idea}/{outcome}/{customer}</c>.</summary>
    /// <param name="idea">The idea.</param>
    /// <param name="outcome"><c>shipped</c> or <c>declined</c>.</param>
    /// <param name="customer">The participant.</param>
    /// <exception cref="ArgumentNullException"><paramref name="outcome"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="outcome"/> is neither <c>shipped</c> nor <c>declined</c>, or an id is the default.</exception>
    public static string OutcomeKey(IdeaId idea, string outcome, CustomerId customer)
    {
        Preconditions.NotNull(outcome);
        Preconditions.NotDefault(idea);
        Preconditions.NotDefault(customer);
        Preconditions.Check(outcome is "shipped" or "declined", "The outcome is shipped or declined.", nameof(outcome));
        return $"{OutcomeKeyPrefix}{idea}/{outcome}/{customer}";
    }

    private static CustomerVoice Same(CustomerVoice stored, CustomerVoice candidate)
        => stored.HasSameContent(candidate) ? stored : throw new CustomerVoiceConflictException(candidate.TenantId, candidate.Source);

    private static NewTouchpoint TouchpointOf(CustomerVoice voice) => new()
    {
        CustomerId = voice.CustomerId,
        Channel = voice.Channel,
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Innovation,
        Kind = voice.Kind == VoiceKind.Idea ? TouchpointKind.Idea : TouchpointKind.Feedback,
        OccurredAt = voice.OccurredAt,
        Source = voice.Source,
    };

    private ChannelDispatcher Dispatcher()
        => _dispatcher ?? throw new InvalidOperationException("This InnovationService has no channel dispatcher: register a channel (builder.AddChannel) or pass one.");

    private async ValueTask<IReadOnlyList<CustomerId>> GatherAsync(Idea idea, CancellationToken cancellationToken)
    {
        var participants = new HashSet<CustomerId>();
        if (idea.SubmittedBy is { } by)
        {
            participants.Add(by);
        }

        foreach (var comment in idea.Comments)
        {
            if (comment.Author is { } author)
            {
                participants.Add(author);
            }
        }

        CustomerId? after = null;
        while (true)
        {
            var page = await _ideas.PageVotesAsync(idea.TenantId, idea.Id, after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var vote in page)
            {
                participants.Add(vote.Customer);
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Customer;
        }

        foreach (var source in _participantSources)
        {
            await foreach (var customer in source.StreamParticipantsAsync(idea.TenantId, idea.Id, cancellationToken).ConfigureAwait(false))
            {
                if (customer != default)
                {
                    participants.Add(customer);
                }
            }
        }

        return [.. participants.Order()];
    }

    private async ValueTask<Idea> GetAsync(TenantId tenantId, IdeaId idea, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(idea);
        return await _ideas.FindAsync(tenantId, idea, cancellationToken).ConfigureAwait(false)
            ?? throw new InnovationRuleException(CrmErrorCodes.IdeaNotFound, $"Idea {idea} does not exist in tenant {tenantId}.");
    }

    private async ValueTask<Idea> OpenAsync(TenantId tenantId, IdeaId idea, CancellationToken cancellationToken)
    {
        var current = await GetAsync(tenantId, idea, cancellationToken).ConfigureAwait(false);
        return current.IsClosed
            ? throw new InnovationRuleException(CrmErrorCodes.IdeaClosed, $"Idea {idea} is {current.Status}; it takes no more votes.")
            : current;
    }

    private async ValueTask ExistingCustomerAsync(TenantId tenantId, CustomerId customer, CancellationToken cancellationToken)
        => _ = await _customers.FindAsync(tenantId, customer, cancellationToken).ConfigureAwait(false)
            ?? throw new CustomerNotFoundException(tenantId, customer);
}
