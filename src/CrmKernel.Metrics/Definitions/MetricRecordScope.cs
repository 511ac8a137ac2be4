using CrmKernel.Diagnostics;
using CrmKernel.Touchpoints;

namespace CrmKernel.Metrics.Definitions;

/// <summary>
/// Which records lie behind a metric: the touchpoints of some kinds, functions and direction that occurred in the
/// period (and, for look-back or look-ahead rules, around it), or the customers. The evaluator streams them on request
/// (<see cref="Evaluation.MetricEvaluator.StreamTouchpointsAsync"/>), so every figure can be traced to its records.
/// </summary>
public sealed class MetricRecordScope
{
    /// <summary>The most distinct touchpoint kinds one scope keeps (the same bound as a timeline filter's kinds).</summary>
    public const int MaxKinds = 256;

    private MetricRecordScope(bool customers, IReadOnlySet<TouchpointKind>? kinds, IReadOnlySet<CrmFunction>? functions, InteractionDirection? direction)
    {
        IsCustomers = customers;
        Kinds = kinds;
        Functions = functions;
        Direction = direction;
    }

    /// <summary>The customer records (e.g. data completeness).</summary>
    public static MetricRecordScope Customers { get; } = new(true, null, null, null);

    /// <summary>True when the records are customers rather than touchpoints.</summary>
    public bool IsCustomers { get; }

    /// <summary>Touchpoint kinds to keep; null for all.</summary>
    public IReadOnlySet<TouchpointKind>? Kinds { get; }

    /// <summary>Functions to keep; null for all.</summary>
    public IReadOnlySet<CrmFunction>? Functions { get; }

    /// <summary>The direction to keep; null for both.</summary>
    public InteractionDirection? Direction { get; }

    /// <summary>
    /// The records of a process kept outside the touchpoint timeline (deals, later service cases), as selected by the
    /// <see cref="Evaluation.IMetricRecordSource"/> named <paramref name="source"/>: e.g. <c>opportunities</c> /
    /// <c>closed-in-period</c>. The source streams exactly the records it counted for the metric
    /// (<see cref="Evaluation.MetricEvaluator.StreamOpportunitiesAsync"/> for deals).
    /// </summary>
    /// <param name="source">The record source's <see cref="Evaluation.IMetricRecordSource.Name"/>.</param>
    /// <param name="selection">Which of its records, in the source's terms.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A text is not a key (1–64 characters from a–z 0–9 -, starting with a letter).</exception>
    public static MetricRecordScope ProcessRecords(string source, string selection)
    {
        Preconditions.NotNull(source);
        Preconditions.NotNull(selection);
        return new(false, null, null, null) { Source = new FigureKey(source).Value, Selection = new FigureKey(selection).Value };
    }

    /// <summary>The record source's name for process records (e.g. <c>opportunities</c>); null for touchpoints and customers.</summary>
    public string? Source { get; private init; }

    /// <summary>Which of the source's records (e.g. <c>closed-in-period</c>); null for touchpoints and customers.</summary>
    public string? Selection { get; private init; }

    /// <summary>True when the records are touchpoints (not customers, not a process's records).</summary>
    public bool IsTouchpoints => !IsCustomers && Source is null;

    /// <summary>Touchpoints of the period, optionally only of some kinds, functions and one direction.</summary>
    /// <exception cref="ArgumentException">A set is empty or holds a default kind.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxKinds"/> distinct kinds (<c>CRM-INPUT-001</c>).</exception>
    public static MetricRecordScope Touchpoints(IEnumerable<TouchpointKind>? kinds = null, IEnumerable<CrmFunction>? functions = null, InteractionDirection? direction = null)
    {
        var kindSet = kinds?.ToHashSet();
        var functionSet = functions?.ToHashSet();
        if (kindSet is not null)
        {
            Preconditions.MaxCount(kindSet.Count, MaxKinds, "distinct kinds", nameof(kinds));
        }

        Preconditions.Check(kindSet is null || (kindSet.Count > 0 && !kindSet.Contains(default)), "Give at least one kind, none the default.", nameof(kinds));
        Preconditions.Check(functionSet is null || functionSet.Count > 0, "Give at least one function.", nameof(functions));
        return new MetricRecordScope(false, kindSet, functionSet, direction);
    }

    /// <summary>True when <paramref name="touchpoint"/> is of the scope's kinds, functions and direction (the period is checked by the caller).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="touchpoint"/> is null.</exception>
    public bool Matches(Touchpoint touchpoint)
    {
        Preconditions.NotNull(touchpoint);
        return IsTouchpoints
               && (Kinds is null || Kinds.Contains(touchpoint.Kind))
               && (Functions is null || Functions.Contains(touchpoint.Function))
               && (Direction is null || Direction == touchpoint.Direction);
    }
}
