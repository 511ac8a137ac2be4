using CrmKernel.Metrics.Definitions;

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
