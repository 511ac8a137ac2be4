using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>
/// A customer's lifecycle state: its current stage, the full history of transitions, and the facts the
/// model's guards read. Read it from <c>Customer.Lifecycle</c>; it changes only through the customer's lifecycle
/// methods. The history is ordered by instant and chains (each transition starts where the previous one ended),
/// so replaying it always gives the current stage.
/// </summary>
/// <remarks>
/// <see cref="TransitionsIn(Interval)"/> is the input to funnel metrics: which customers moved between which stages
/// in a reporting period.
/// </remarks>
public sealed class CustomerLifecycle
{
    private readonly List<LifecycleTransitionRecord> _history = [];
    private readonly Instant _createdAt;

    internal CustomerLifecycle(Instant createdAt)
    {
        _createdAt = createdAt;
        History = _history.AsReadOnly();
    }

    /// <summary>The current stage, or null while no transition has happened (the customer is then in its model's initial stage).</summary>
    public LifecycleStage? Stage => _history.Count == 0 ? null : _history[^1].To;

    /// <summary>Every transition, oldest first.</summary>
    public IReadOnlyList<LifecycleTransitionRecord> History { get; }

    /// <summary>The facts guards read (purchases, complaints).</summary>
    public LifecycleFacts Facts { get; private set; } = LifecycleFacts.Empty;

    /// <summary>When the customer entered its current stage: the last transition's instant, or when it was registered.</summary>
    public Instant EnteredStageAt => _history.Count == 0 ? _createdAt : _history[^1].At;

    /// <summary>The stage the history gives by replaying it from the first transition's starting stage; null for an empty history.</summary>
    /// <returns>The replayed stage, equal to <see cref="Stage"/>.</returns>
    public LifecycleStage? Replay()
    {
        if (_history.Count == 0)
        {
            return null;
        }

        var stage = _history[0].From;
        foreach (var transition in _history)
        {
            stage = transition.From == stage ? transition.To : throw new InvalidOperationException("The lifecycle history does not chain.");
        }

        return stage;
    }

    /// <summary>The stage the customer was in at <paramref name="at"/>: the target of the last transition at or before it, or the first transition's starting stage when none; null for an empty history.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The stage, or null when no transition was ever recorded.</returns>
    public LifecycleStage? StageAt(Instant at)
    {
        if (_history.Count == 0)
        {
            return null;
        }

        var index = CountAtOrBefore(at);
        return index == 0 ? _history[0].From : _history[index - 1].To;
    }

    /// <summary>How long the customer has been in its current stage at <paramref name="now"/> (zero if <paramref name="now"/> is before it entered).</summary>
    /// <param name="now">The instant to measure at, usually the clock's.</param>
    /// <returns>The time in stage.</returns>
    public Duration TimeInStage(Instant now) => now > EnteredStageAt ? now - EnteredStageAt : Duration.Zero;

    /// <summary>The transitions whose instant falls in <paramref name="period"/> (start inclusive, end exclusive), oldest first.</summary>
    /// <param name="period">The period, e.g. a reporting month converted to instants in the reporting zone.</param>
    /// <returns>The transitions; empty when none.</returns>
    public IReadOnlyList<LifecycleTransitionRecord> TransitionsIn(Interval period)
    {
        var start = period.HasStart ? CountAtOrBefore(period.Start - Duration.Epsilon) : 0;
        var end = period.HasEnd ? CountAtOrBefore(period.End - Duration.Epsilon) : _history.Count;
        return start >= end ? [] : _history.GetRange(start, end - start).AsReadOnly();
    }

    internal void Restore(IReadOnlyList<LifecycleTransitionRecord> history, LifecycleFacts facts)
    {
        _history.AddRange(history);
        Facts = facts;
    }

    internal void Record(LifecycleTransitionRecord transition) => _history.Add(transition);

    internal void SetFacts(LifecycleFacts facts) => Facts = facts;

    internal LifecycleTransitionRecord[] CopyHistory() => [.. _history];

    /// <summary>How many transitions happened at or before <paramref name="at"/> (binary search: the history is ordered).</summary>
    private int CountAtOrBefore(Instant at)
    {
        int lo = 0, hi = _history.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_history[mid].At <= at)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
