using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Primitives;
using CrmKernel.Segments;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// What to evaluate a hierarchy for: a period of whole days in a reporting zone, a reporting currency, the targets by
/// metric id, and whether to evaluate the previous period (<see cref="PreviousPeriod"/>) for the change.
/// </summary>
public sealed class MetricEvaluationRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="period">The reporting period.</param>
    /// <param name="zone">The zone its days are interpreted in.</param>
    /// <param name="currency">The reporting currency; not XXX.</param>
    /// <param name="targets">Targets by metric id; null for none.</param>
    /// <param name="compareWithPrevious">Whether to evaluate the previous period too (for <see cref="MetricResult.Change"/>); true by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="period"/> or <paramref name="zone"/> is null.</exception>
    /// <exception cref="ArgumentException">The currency is XXX, or a target is null or keyed by the default id.</exception>
    public MetricEvaluationRequest(DateInterval period, DateTimeZone zone, Currency currency, IReadOnlyDictionary<MetricId, MetricTarget>? targets = null, bool compareWithPrevious = true)
    {
        Period = Preconditions.NotNull(period);
        Zone = Preconditions.NotNull(zone);
        Preconditions.Check(currency != Currency.XXX, "Report in a real currency.", nameof(currency));
        Preconditions.Check(targets is null || targets.All(t => t.Key != default && t.Value is not null), "A target is null or keyed by the default id.", nameof(targets));
        Currency = currency;
        Targets = targets is null ? new Dictionary<MetricId, MetricTarget>() : new Dictionary<MetricId, MetricTarget>(targets);
        CompareWithPrevious = compareWithPrevious;
        PreviousPeriod = ReportingPeriods.Previous(period);
    }

    /// <summary>The reporting period.</summary>
    public DateInterval Period { get; }

    /// <summary>
    /// The previous period, ending the day before <see cref="Period"/> starts: the same number of whole calendar months
    /// when the period is whole months (a quarter's previous period is the quarter before), otherwise the same number of days.
    /// </summary>
    public DateInterval PreviousPeriod { get; }

    /// <summary>The reporting zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The reporting currency.</summary>
    public Currency Currency { get; }

    /// <summary>Targets by metric id.</summary>
    public IReadOnlyDictionary<MetricId, MetricTarget> Targets { get; }

    /// <summary>Whether the previous period is evaluated too.</summary>
    public bool CompareWithPrevious { get; }

    /// <summary>
    /// The lifecycle funnels counted from the customers' lifecycle history in the same pass (their stage-entry figures
    /// feed <see cref="Catalogue.StandardMetrics.FunnelConversionRate"/> and any metric of yours); <see cref="LifecycleFunnel.Standard"/> by default.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">A funnel is null, or two share a name.</exception>
    public IReadOnlyList<LifecycleFunnel> Funnels
    {
        get => _funnels;
        init => _funnels = LifecycleFunnel.CheckAll(value, nameof(value));
    }

    /// <summary>
    /// The lifecycle model's initial stage: the stage of a customer with no lifecycle transition yet (entered at their
    /// creation). <see cref="Lifecycle.DefaultLifecycleModel.Prospect"/> by default.
    /// </summary>
    /// <exception cref="ArgumentException">The value is the default.</exception>
    public Lifecycle.LifecycleStage InitialStage
    {
        get => _initialStage;
        init => _initialStage = Preconditions.NotDefault(value);
    }

    /// <summary>
    /// How many customer pages the evaluator scans at once, each into its own partial <see cref="MetricScan"/> merged at
    /// the end (<see cref="MetricScan.Merge"/>): <see cref="Environment.ProcessorCount"/> by default, 1 for one sequential
    /// pass. The figures are the same whatever the value; lower it to leave cores to other work.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        init => _maxDegreeOfParallelism = Preconditions.Positive(value, "Scan at least one customer page at a time.");
    }

    /// <summary>
    /// Where the evaluator reports how far the scan has come (after each customer page), or null for no reports: use it to
    /// show progress on a long evaluation. Reports arrive in increasing order.
    /// </summary>
    public IProgress<MetricEvaluationProgress>? Progress { get; init; }

    /// <summary>
    /// The segment to evaluate for, or null (the default) for the whole tenant. With a segment, every metric counts only
    /// the segment's members: their customer records, their touchpoints, their lifecycle funnels, and the records of every
    /// <see cref="IMetricRecordSource"/> that belong to them (their deals, their cases), and every drill-down of the
    /// evaluation streams only those. Use it to read any catalogue metric per segment: evaluate once per
    /// <see cref="SegmentSnapshot"/>, and once without one for the total. Figures supplied by an
    /// <see cref="IMetricInputProvider"/> are the tenant's and are not asked for a segment, so the metrics that read them
    /// have no value in a per-segment evaluation.
    /// </summary>
    public SegmentSnapshot? Segment { get; init; }

    private readonly IReadOnlyList<LifecycleFunnel> _funnels = LifecycleFunnel.Standard;
    private readonly int _maxDegreeOfParallelism = Environment.ProcessorCount;
    private readonly Lifecycle.LifecycleStage _initialStage = Lifecycle.DefaultLifecycleModel.Prospect;
}
