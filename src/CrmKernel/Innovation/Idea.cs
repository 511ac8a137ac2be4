using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Innovation;

/// <summary>
/// An idea the company considers — submitted by a customer or proposed by the company — with its status workflow, the
/// history of every change and its reason, and its comments. Obtain one from <see cref="Submit"/> or <see cref="Propose"/>
/// (or <c>InnovationService</c>), change it through its behaviour methods, save it with the version it was read at.
/// </summary>
/// <remarks>
/// <para>The workflow (<see cref="CanMove"/>): Submitted → UnderReview → Planned → InProgress → Shipped, and Declined or
/// Merged from any of the four open statuses. Shipped, Declined and Merged are final. Every change needs a reason and an
/// instant not before the last change; a refused change throws <see cref="InnovationRuleException"/> and changes nothing.</para>
/// <para><see cref="Version"/> counts the changes since submission (1 when new); a store saves an idea only when its stored
/// version is the one the caller read (optimistic concurrency).</para>
/// </remarks>
public sealed class Idea
{
    /// <summary>The longest title accepted.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The longest description accepted.</summary>
    public const int MaxDescriptionLength = 4000;

    /// <summary>The most comments an idea holds.</summary>
    public const int MaxComments = 500;

    private readonly List<IdeaStatusChange> _history;
    private readonly List<IdeaComment> _comments;

    private Idea(TenantId tenantId, IdeaId id, string title, string? description, SubjectArea subject, IdeaOrigin origin, CustomerId? submittedBy, Instant submittedAt, int version, IdeaStatus status, List<IdeaStatusChange> history, List<IdeaComment> comments)
    {
        TenantId = tenantId;
        Id = id;
        Title = title;
        Description = description;
        Subject = subject;
        Origin = origin;
        SubmittedBy = submittedBy;
        SubmittedAt = submittedAt;
        Version = version;
        Status = status;
        _history = history;
        _comments = comments;
    }

    /// <summary>The owning tenant.</summary>
    public TenantId TenantId { get; }

    /// <summary>The idea's id.</summary>
    public IdeaId Id { get; }

    /// <summary>A short title.</summary>
    public string Title { get; }

    /// <summary>The longer text, if any.</summary>
    public string? Description { get; }

    /// <summary>What it is about.</summary>
    public SubjectArea Subject { get; }

    /// <summary>Customer or company.</summary>
    public IdeaOrigin Origin { get; }

    /// <summary>The customer who submitted it; null when the company proposed it.</summary>
    public CustomerId? SubmittedBy { get; }

    /// <summary>When it was submitted or proposed.</summary>
    public Instant SubmittedAt { get; }

    /// <summary>The current status.</summary>
    public IdeaStatus Status { get; private set; }

    /// <summary>Changes since submission, counting the submission: 1 when new.</summary>
    public int Version { get; private set; }

    /// <summary>Every status change, oldest first.</summary>
    public IReadOnlyList<IdeaStatusChange> History => _history;

    /// <summary>Every comment, oldest first.</summary>
    public IReadOnlyList<IdeaComment> Comments => _comments;

    /// <summary>True once the idea is shipped, declined or merged: nothing changes it any more.</summary>
    public bool IsClosed => IsFinal(Status);

    /// <summary>The idea merged into, when <see cref="Status"/> is <see cref="IdeaStatus.Merged"/>.</summary>
    public IdeaId? MergedInto => Status == IdeaStatus.Merged ? _history[^1].MergedInto : null;

    /// <summary>When the company decided (first moved it to Planned, Declined or Merged); null while undecided.</summary>
    public Instant? DecidedAt => _history.FirstOrDefault(c => IsDecision(c.To))?.At;

    /// <summary>When it shipped; null unless shipped.</summary>
    public Instant? ShippedAt => Status == IdeaStatus.Shipped ? _history[^1].At : null;

    /// <summary>The last change's instant, or the submission's.</summary>
    public Instant LastChangedAt => Latest(_history.Count == 0 ? SubmittedAt : _history[^1].At, _comments.Count == 0 ? SubmittedAt : _comments[^1].At);

    /// <summary>A customer's idea, as received (status Submitted, version 1).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="title"/> is null.</exception>
    /// <exception cref="ArgumentException">An id or the subject is the default, or the title is blank.</exception>
    /// <exception cref="InputLimitExceededException">The title or description is over its limit (<c>CRM-INPUT-001</c>).</exception>
    public static Idea Submit(TenantId tenantId, IdeaId id, CustomerId customer, string title, string? description, SubjectArea subject, Instant at)
    {
        Preconditions.NotDefault(customer);
        return New(tenantId, id, IdeaOrigin.Customer, customer, title, description, subject, at);
    }

    /// <summary>A change the company proposes for customers to vote and comment on (status Submitted, version 1).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="title"/> is null.</exception>
    /// <exception cref="ArgumentException">An id or the subject is the default, or the title is blank.</exception>
    /// <exception cref="InputLimitExceededException">The title or description is over its limit (<c>CRM-INPUT-001</c>).</exception>
    public static Idea Propose(TenantId tenantId, IdeaId id, string title, string? description, SubjectArea subject, Instant at)
        => New(tenantId, id, IdeaOrigin.Company, null, title, description, subject, at);

    /// <summary>True when the workflow allows moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(IdeaStatus from, IdeaStatus to) => (from, to) switch
    {
        _ when IsFinal(from) || from == to || !Enum.IsDefined(from) || !Enum.IsDefined(to) => false,
        (_, IdeaStatus.Declined or IdeaStatus.Merged) => true,
        (IdeaStatus.Submitted, IdeaStatus.UnderReview) => true,
        (IdeaStatus.UnderReview, IdeaStatus.Planned) => true,
        (IdeaStatus.Planned, IdeaStatus.InProgress) => true,
        (IdeaStatus.InProgress, IdeaStatus.Shipped) => true,
        _ => false,
    };

    /// <summary>
    /// Moves the idea to <paramref name="to"/> (any status but Merged, which <see cref="MergeInto"/> does), recording the reason.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> is undefined or Merged, or the reason is blank.</exception>
    /// <exception cref="InputLimitExceededException">The reason is longer than <see cref="IdeaStatusChange.MaxReasonLength"/> (<c>CRM-INPUT-001</c>).</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaIllegalTransition"/>: the workflow does not allow it;
    /// <see cref="CrmErrorCodes.IdeaClosed"/>: the idea is final; <see cref="CrmErrorCodes.IdeaTimeOrder"/>: <paramref name="at"/> is before the last change.</exception>
    public void MoveTo(IdeaStatus to, string reason, Instant at)
    {
        Preconditions.Defined(to);
        Preconditions.Check(to != IdeaStatus.Merged, "Merge with MergeInto, which names the idea merged into.", nameof(to));
        var change = new IdeaStatusChange(Status, to, at, reason);
        Apply(change);
    }

    /// <summary>Merges the idea into <paramref name="target"/>, which carries on; this one is final.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    /// <exception cref="ArgumentException">The target is the default id or the reason is blank.</exception>
    /// <exception cref="InputLimitExceededException">The reason is over its limit (<c>CRM-INPUT-001</c>).</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaMergeIntoItself"/>, <see cref="CrmErrorCodes.IdeaClosed"/> or <see cref="CrmErrorCodes.IdeaTimeOrder"/>.</exception>
    public void MergeInto(IdeaId target, string reason, Instant at)
    {
        Preconditions.NotDefault(target);
        var change = new IdeaStatusChange(Status, IdeaStatus.Merged, at, reason, target);
        if (target == Id)
        {
            throw new InnovationRuleException(CrmErrorCodes.IdeaMergeIntoItself, $"Idea {Id} cannot be merged into itself.");
        }

        Apply(change);
    }

    /// <summary>Adds a comment by a customer (a contributor) or by the company (<paramref name="author"/> null).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException">The text is blank or the author is the default id.</exception>
    /// <exception cref="InputLimitExceededException">The text is over <see cref="IdeaComment.MaxTextLength"/>, or the idea already holds <see cref="MaxComments"/> comments (<c>CRM-INPUT-001</c>).</exception>
    /// <exception cref="InnovationRuleException"><see cref="CrmErrorCodes.IdeaClosed"/> or <see cref="CrmErrorCodes.IdeaTimeOrder"/>.</exception>
    public IdeaComment Comment(CustomerId? author, string text, Instant at)
    {
        var comment = new IdeaComment(author, text, at);
        Preconditions.MaxCount(_comments.Count + 1, MaxComments, "comments", nameof(text));
        Open();
        InOrder(at);
        _comments.Add(comment);
        Version++;
        return comment;
    }

    /// <summary>
    /// Rebuilds a stored idea, re-checking every invariant (the one path adapters use): a replay of the history through
    /// the workflow must end in <paramref name="status"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="title"/>, <paramref name="history"/> or <paramref name="comments"/> is null.</exception>
    /// <exception cref="InvalidStoredStateException">The state breaks an invariant (<c>CRM-STORE-001</c>).</exception>
    public static Idea Rehydrate(TenantId tenantId, IdeaId id, IdeaOrigin origin, CustomerId? submittedBy, string title, string? description, SubjectArea subject, Instant submittedAt, IdeaStatus status, int version, IReadOnlyList<IdeaStatusChange> history, IReadOnlyList<IdeaComment> comments)
    {
        Preconditions.NotNull(title);
        Preconditions.NotNull(history);
        Preconditions.NotNull(comments);
        try
        {
            Preconditions.Defined(origin);
            Preconditions.Check((origin == IdeaOrigin.Customer) == submittedBy.HasValue, "a customer's idea names its customer, a company's none", nameof(submittedBy));
            var idea = New(tenantId, id, origin, submittedBy, title, description, subject, submittedAt);
            foreach (var change in history)
            {
                Preconditions.Check(change is not null && change.From == idea.Status, "the history does not chain", nameof(history));
                if (change!.To == IdeaStatus.Merged)
                {
                    idea.MergeInto(change.MergedInto!.Value, change.Reason, change.At);
                }
                else
                {
                    idea.MoveTo(change.To, change.Reason, change.At);
                }
            }

            Preconditions.Check(comments.Count <= MaxComments && comments.All(c => c is not null), "too many or null comments", nameof(comments));
            idea._comments.AddRange(comments);
            idea.Version = 1 + history.Count + comments.Count;
            Preconditions.Check(idea.Status == status, "the history does not end in the status", nameof(status));
            Preconditions.Check(version >= idea.Version, "the version is below the number of changes", nameof(version));
            idea.Version = version;
            return idea;
        }
        catch (Exception e) when (e is ArgumentException or CrmException)
        {
            throw new InvalidStoredStateException("idea", id.ToString(), e.Message, e);
        }
    }

    /// <summary>True for Shipped, Declined and Merged.</summary>
    public static bool IsFinal(IdeaStatus status) => status is IdeaStatus.Shipped or IdeaStatus.Declined or IdeaStatus.Merged;

    /// <summary>True for the statuses that record the company's decision: Planned, Declined and Merged.</summary>
    public static bool IsDecision(IdeaStatus status) => status is IdeaStatus.Planned or IdeaStatus.Declined or IdeaStatus.Merged;

    private static Idea New(TenantId tenantId, IdeaId id, IdeaOrigin origin, CustomerId? submittedBy, string title, string? description, SubjectArea subject, Instant at)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(id);
        Preconditions.NotDefault(subject);
        var t = Preconditions.MaxLength(Preconditions.NotBlank(title).Trim(), MaxTitleLength, nameof(title));
        var d = description is null ? null : Preconditions.MaxLength(Preconditions.NotBlank(description).Trim(), MaxDescriptionLength, nameof(description));
        return new Idea(tenantId, id, t, d, subject, origin, submittedBy, at, 1, IdeaStatus.Submitted, [], []);
    }

    private static Instant Latest(Instant a, Instant b) => a > b ? a : b;

    private void Apply(IdeaStatusChange change)
    {
        Open();
        if (!CanMove(Status, change.To))
        {
            throw new InnovationRuleException(CrmErrorCodes.IdeaIllegalTransition, $"Idea {Id} cannot move from {Status} to {change.To}.");
        }

        InOrder(change.At);
        _history.Add(change);
        Status = change.To;
        Version++;
    }

    private void Open()
    {
        if (IsClosed)
        {
            throw new InnovationRuleException(CrmErrorCodes.IdeaClosed, $"Idea {Id} is {Status}; it no longer changes.");
        }
    }

    private void InOrder(Instant at)
    {
        if (at < LastChangedAt)
        {
            throw new InnovationRuleException(CrmErrorCodes.IdeaTimeOrder, $"A change to idea {Id} cannot be dated before its last change.");
        }
    }
}
