using System.Runtime.CompilerServices;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using CrmKernel.Storage;
using NodaTime;

namespace CrmKernel.Services.Segments;

/// <summary>
/// Defines segments and evaluates them: the one entry point applications use for segments. <see cref="DefineAsync"/>
/// validates a rule against the host's <see cref="SegmentVocabulary"/> and the stored segments (unknown references,
/// cycles) and saves it as a new version; <see cref="EvaluateAsync"/>
/// streams the members as of any instant in id order; <see cref="FreezeAsync"/> stores them as a
/// <see cref="SegmentSnapshot"/>, the dimension metrics and reports take and the audience a campaign sends to.
/// </summary>
/// <remarks>
/// <para>Evaluation pages through the tenant's customers and runs each "and" cheapest clause first, so touchpoint facts
/// (read through <see cref="ITouchpointScanStore"/> when the store has it), relationships and scores are read only for
/// customers every cheaper clause kept.</para>
/// <para>As of an instant: customers created after it are in no segment; lifecycle stages come from the stage history;
/// consent is decided by the ledger at the instant; touchpoint windows end at the instant (exclusive). Tags, custom
/// attributes and the party kind are current state — the library keeps no history of them.</para>
/// </remarks>
public sealed class SegmentService
{
    private readonly ISegmentStore _segments;
    private readonly ICustomerStore _customers;
    private readonly ITouchpointStore _touchpoints;
    private readonly IRelationshipStore? _relationships;
    private readonly ICustomerScoreSource? _scores;
    private readonly IClock _clock;
    private readonly SegmentVocabulary _vocabulary;
    private readonly int _pageSize;

    /// <summary>Creates the service.</summary>
    /// <param name="segments">Where definitions and snapshots are kept.</param>
    /// <param name="customers">The customers evaluated.</param>
    /// <param name="touchpoints">Their touchpoints (scanned when the store implements <see cref="ITouchpointScanStore"/>).</param>
    /// <param name="clock">The clock that stamps definitions and snapshots.</param>
    /// <param name="options">The vocabulary and page size; defaults when null.</param>
    /// <param name="relationships">The relationship store relationship clauses read, or null when there is none.</param>
    /// <param name="scores">The score source score clauses read, or null when there is none.</param>
    /// <exception cref="ArgumentNullException">A store or the clock is null.</exception>
    /// <exception cref="ArgumentException">The vocabulary declares scores but no score source is given.</exception>
    public SegmentService(
        ISegmentStore segments,
        ICustomerStore customers,
        ITouchpointStore touchpoints,
        IClock clock,
        SegmentServiceOptions? options = null,
        IRelationshipStore? relationships = null,
        ICustomerScoreSource? scores = null)
    {
        _segments = Preconditions.NotNull(segments);
        _customers = Preconditions.NotNull(customers);
        _touchpoints = Preconditions.NotNull(touchpoints);
        _clock = Preconditions.NotNull(clock);
        options ??= new SegmentServiceOptions();
        _vocabulary = options.Vocabulary;
        _pageSize = options.PageSize;
        _relationships = relationships;
        _scores = scores;
        Preconditions.Check(_scores is not null || _vocabulary.Scores.Count == 0, "The vocabulary declares scores, so a customer score source (ICustomerScoreSource) is needed.", nameof(scores));
    }

    /// <summary>
    /// Defines the next version of a segment, stamped with the clock: version 1 when <paramref name="expectedVersion"/>
    /// is 0 (a new segment), otherwise one more than the stored latest, which must be <paramref name="expectedVersion"/>.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="segment">The segment's id.</param>
    /// <param name="displayName">A name people read.</param>
    /// <param name="rule">The rule.</param>
    /// <param name="expectedVersion">The latest version the caller saw: 0 for a new segment.</param>
    /// <param name="description">What the segment is for, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="displayName"/> or <paramref name="rule"/> is null.</exception>
    /// <exception cref="ArgumentException">The tenant or segment is the default, or the display name is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative.</exception>
    /// <exception cref="SegmentRuleException">The rule is refused (<c>CRM-SEG-001</c> to <c>CRM-SEG-006</c>); nothing was stored.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored latest version is not <paramref name="expectedVersion"/>; nothing was stored.</exception>
    public async ValueTask<SegmentDefinition> DefineAsync(TenantId tenantId, SegmentId segment, string displayName, SegmentRule rule, int expectedVersion, string? description = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NonNegative(expectedVersion);
        var definition = new SegmentDefinition(segment, expectedVersion + 1, displayName, rule, _clock.GetCurrentInstant(), description);
        _vocabulary.Check(rule);
        await CheckReferencesAsync(tenantId, segment, rule, cancellationToken).ConfigureAwait(false);
        await _segments.SaveAsync(tenantId, definition, cancellationToken).ConfigureAwait(false);
        return definition;
    }

    /// <summary>Reads a segment's latest version, or a given one; null when there is none.</summary>
    /// <exception cref="ArgumentException">The tenant or segment is the default.</exception>
    public ValueTask<SegmentDefinition?> FindAsync(TenantId tenantId, SegmentId segment, int? version = null, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(segment);
        return _segments.FindAsync(tenantId, segment, version, cancellationToken);
    }

    /// <summary>
    /// Streams the members of a segment's latest version as of <paramref name="asOf"/>, in ascending id order, reading
    /// customers a page at a time.
    /// </summary>
    /// <exception cref="ArgumentException">The tenant or segment is the default (thrown when enumerated).</exception>
    /// <exception cref="SegmentRuleException">The segment is not defined (<see cref="CrmErrorCodes.SegmentNotFound"/>).</exception>
    public async IAsyncEnumerable<CustomerId> EvaluateAsync(TenantId tenantId, SegmentId segment, Instant asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var definition = await RequireAsync(tenantId, segment, cancellationToken).ConfigureAwait(false);
        await foreach (var member in EvaluateCoreAsync(tenantId, definition.Rule, asOf, cancellationToken).ConfigureAwait(false))
        {
            yield return member;
        }
    }

    /// <summary>
    /// Streams the customers an ad hoc rule selects as of <paramref name="asOf"/>, in ascending id order: a preview before
    /// a rule is defined. The rule is checked as <see cref="DefineAsync"/> checks it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is null (thrown when called).</exception>
    /// <exception cref="SegmentRuleException">The rule is refused (thrown when enumerated).</exception>
    public IAsyncEnumerable<CustomerId> PreviewAsync(TenantId tenantId, SegmentRule rule, Instant asOf, CancellationToken cancellationToken = default)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotNull(rule);
        return PreviewCoreAsync(tenantId, rule, asOf, cancellationToken);
    }

    /// <summary>Counts the members of a segment's latest version as of <paramref name="asOf"/>.</summary>
    /// <exception cref="SegmentRuleException">The segment is not defined.</exception>
    public async ValueTask<int> CountAsync(TenantId tenantId, SegmentId segment, Instant asOf, CancellationToken cancellationToken = default)
    {
        var count = 0;
        await foreach (var _ in EvaluateAsync(tenantId, segment, asOf, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Evaluates a segment's latest version as of <paramref name="asOf"/> and stores the membership as a snapshot stamped
    /// with the clock's time: the frozen audience or report dimension.
    /// </summary>
    /// <exception cref="SegmentRuleException">The segment is not defined.</exception>
    /// <exception cref="InputLimitExceededException">The segment has more than <see cref="SegmentSnapshot.MaxMembers"/> members.</exception>
    public async ValueTask<SegmentSnapshot> FreezeAsync(TenantId tenantId, SegmentId segment, Instant asOf, CancellationToken cancellationToken = default)
    {
        var definition = await RequireAsync(tenantId, segment, cancellationToken).ConfigureAwait(false);
        var members = new List<CustomerId>();
        await foreach (var member in EvaluateCoreAsync(tenantId, definition.Rule, asOf, cancellationToken).ConfigureAwait(false))
        {
            members.Add(member);
            Preconditions.MaxCount(members.Count, SegmentSnapshot.MaxMembers, "members", nameof(segment));
        }

        var snapshot = new SegmentSnapshot(tenantId, segment, definition.Version, asOf, _clock.GetCurrentInstant(), members);
        await _segments.SaveSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    private async IAsyncEnumerable<CustomerId> PreviewCoreAsync(TenantId tenantId, SegmentRule rule, Instant asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _ = new SegmentDefinition(new SegmentId("preview"), 1, "preview", rule, asOf);
        _vocabulary.Check(rule);
        await CheckReferencesAsync(tenantId, null, rule, cancellationToken).ConfigureAwait(false);
        await foreach (var member in EvaluateCoreAsync(tenantId, rule, asOf, cancellationToken).ConfigureAwait(false))
        {
            yield return member;
        }
    }

    private async ValueTask<SegmentDefinition> RequireAsync(TenantId tenantId, SegmentId segment, CancellationToken cancellationToken)
    {
        Preconditions.NotDefault(tenantId);
        Preconditions.NotDefault(segment);
        return await _segments.FindAsync(tenantId, segment, null, cancellationToken).ConfigureAwait(false)
            ?? throw new SegmentRuleException(CrmErrorCodes.SegmentNotFound, $"The segment {segment} is not defined.");
    }

    private async IAsyncEnumerable<CustomerId> EvaluateCoreAsync(TenantId tenantId, SegmentRule rule, Instant asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var evaluation = new SegmentEvaluation(tenantId, asOf, _segments, _customers, _touchpoints, _relationships, _scores, cancellationToken);
        await evaluation.CompileRootAsync(rule).ConfigureAwait(false);
        await foreach (var page in _customers.CustomerPagesAsync(tenantId, _pageSize, cancellationToken).ConfigureAwait(false))
        {
            var members = await evaluation.EvaluateAsync(page, evaluation.Root).ConfigureAwait(false);
            for (var i = 0; i < members.Length; i++)
            {
                if (members[i])
                {
                    yield return page[i].Id;
                }
            }
        }
    }

    /// <summary>Every segment the rule refers to, directly or through others, must exist, and none may lead back to <paramref name="self"/>.</summary>
    private async ValueTask CheckReferencesAsync(TenantId tenantId, SegmentId? self, SegmentRule rule, CancellationToken cancellationToken)
    {
        var seen = new HashSet<SegmentId>();
        var pending = new Stack<(SegmentId Segment, bool Direct)>();
        foreach (var reference in rule.References())
        {
            pending.Push((reference, true));
        }

        while (pending.TryPop(out var item))
        {
            if (item.Segment == self)
            {
                throw new SegmentRuleException(CrmErrorCodes.SegmentCycle, $"Segment {self} would refer to itself{(item.Direct ? "" : " through other segments")}.");
            }

            if (!seen.Add(item.Segment))
            {
                continue;
            }

            var definition = await _segments.FindAsync(tenantId, item.Segment, null, cancellationToken).ConfigureAwait(false);
            if (definition is null)
            {
                if (item.Direct)
                {
                    throw new SegmentRuleException(CrmErrorCodes.SegmentUnknownReference, $"The segment {item.Segment} is not defined.");
                }

                continue;
            }

            foreach (var reference in definition.Rule.References())
            {
                pending.Push((reference, false));
            }
        }
    }
}
