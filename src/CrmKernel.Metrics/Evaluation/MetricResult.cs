using CrmKernel.Metrics.Definitions;
using CrmKernel.Metrics.Hierarchy;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// One metric evaluated for a period: its value (or no value with the reason), the previous period's value and the
/// change, the target and status, and the explanation — the numerator and denominator (on <see cref="Value"/>), the
/// formula (on <see cref="Definition"/>), the evaluations of its drivers, and the records behind it
/// (<see cref="Records"/>, streamed by <see cref="MetricEvaluator.StreamTouchpointsAsync"/>).
/// </summary>
public sealed class MetricResult
{
    internal MetricResult(MetricDefinition definition, MetricValue value, MetricValue? previous, MetricTarget? target, IReadOnlyList<DriverResult> drivers)
    {
        Definition = definition;
        Value = value;
        Previous = previous;
        Target = target;
        Status = target?.StatusOf(value.Value, definition.Better) ?? MetricStatus.NotAssessed;
        Change = value.Value is { } now && previous?.Value is { } before ? now - before : null;
        Drivers = drivers;
    }

    /// <summary>The metric.</summary>
    public MetricDefinition Definition { get; }

    /// <summary>The metric's id.</summary>
    public MetricId Id => Definition.Id;

    /// <summary>The value of the period, with numerator, denominator and breakdown, or no value with the reason.</summary>
    public MetricValue Value { get; }

    /// <summary>The value of the previous period of equal length, or null when it was not evaluated.</summary>
    public MetricValue? Previous { get; }

    /// <summary>Value − previous value; null when either has no value.</summary>
    public decimal? Change { get; }

    /// <summary>The target, or null.</summary>
    public MetricTarget? Target { get; }

    /// <summary>The status against the target.</summary>
    public MetricStatus Status { get; }

    /// <summary>The metric's drivers, each with its link and its own result.</summary>
    public IReadOnlyList<DriverResult> Drivers { get; }

    /// <summary>The records behind the figure, or null when it comes from outside the kernel.</summary>
    public MetricRecordScope? Records => Definition.Formula.Records;

    /// <summary>The id and value.</summary>
    public override string ToString() => $"{Id} = {Value}";
}

/// <summary>A driver of a metric: the link and the driver's own result.</summary>
public sealed class DriverResult
{
    internal DriverResult(DriverLink link, MetricResult result)
    {
        Link = link;
        Result = result;
    }

    /// <summary>The driver link (identity or hypothesised cause).</summary>
    public DriverLink Link { get; }

    /// <summary>The driver's result.</summary>
    public MetricResult Result { get; }
}

/// <summary>Whether an identity held in an evaluation.</summary>
public enum IdentityOutcome
{
    /// <summary>The parent equals the function of its children within the tolerance.</summary>
    Holds = 1,

    /// <summary>It does not: a definition is out of step with its drivers.</summary>
    Violated = 2,

    /// <summary>The parent or a child has no value.</summary>
    NotCheckable = 3,
}

/// <summary>The check of one identity in one evaluation.</summary>
public sealed class IdentityCheck
{
    internal IdentityCheck(MetricIdentity identity, IdentityOutcome outcome, decimal? expected, decimal? actual)
    {
        Identity = identity;
        Outcome = outcome;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The identity.</summary>
    public MetricIdentity Identity { get; }

    /// <summary>Whether it held.</summary>
    public IdentityOutcome Outcome { get; }

    /// <summary>The parent's value computed from the children, when checkable.</summary>
    public decimal? Expected { get; }

    /// <summary>The parent's value, when it has one.</summary>
    public decimal? Actual { get; }
}
