using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Metrics.Definitions;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// A chain of lifecycle stages whose conversions the evaluator counts from the customers' lifecycle history, in the
/// same pass as the rest of the catalogue: the cohort is the customers who entered the first stage in the period,
/// and stage i + 1 counts those of the cohort who, after reaching stage i, entered stage i + 1 before the period end.
/// Use <see cref="Customer"/> (prospect → first-time customer → repeat customer → loyal advocate) and
/// <see cref="Recovery"/> (dissatisfied → recovered), or create your own chain or stage pair and pass it in
/// <see cref="MetricEvaluationRequest.Funnels"/>.
/// </summary>
/// <remarks>
/// <para>The rules, per customer (walking the history oldest first; the stage a customer was created in counts as entered
/// at <c>CreatedAt</c>):</para>
/// <list type="bullet">
/// <item>The customer joins the cohort at their first entry into the first stage that falls in the period [start, end).</item>
/// <item>Stage i + 1 is reached at the first entry into it after stage i was reached (other stages in between do not
/// matter, e.g. first-time → dissatisfied → recovered → repeat still reaches repeat). The chain is stage-gated, so the
/// counts never grow and the overall conversion equals the product of the stage conversions.</item>
/// <item><b>Right-censoring</b>: entries at or after the period end are not counted, so a past period's figures do not change as
/// time passes; a customer who joined the cohort late in the period has had less time to convert, so compare periods
/// of equal length.</item>
/// </list>
/// <para>The figures are <see cref="StageFigure"/> (<c>{name}-stage-{i}</c>): the cohort's entries per stage.</para>
/// </remarks>
public sealed class LifecycleFunnel
{
    /// <summary>The most characters of a funnel's name, so that <c>{name}-stage-{i}</c> stays within <see cref="FigureKey.MaxLength"/>.</summary>
    public const int MaxNameLength = 48;

    /// <summary>The most stages of one funnel.</summary>
    public const int MaxStages = 20;

    /// <summary>Creates a funnel.</summary>
    /// <param name="name">The figure prefix: a–z, 0–9 and '-', starting with a letter, so that <c>{name}-stage-{i}</c> is a valid <see cref="FigureKey"/>.</param>
    /// <param name="stages">The stages, first first: at least two, all different.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The name does not make valid figure keys, fewer than two stages, a default stage, or a stage given twice.</exception>
    /// <exception cref="InputLimitExceededException">The name is longer than <see cref="MaxNameLength"/> or there are more than <see cref="MaxStages"/> stages (<c>CRM-INPUT-001</c>).</exception>
    public LifecycleFunnel(string name, IReadOnlyList<LifecycleStage> stages)
    {
        Preconditions.NotNull(name);
        Preconditions.NotNull(stages);
        Preconditions.MaxLength(name, MaxNameLength);
        Preconditions.MaxCount(stages.Count, MaxStages, "stages", nameof(stages));
        Preconditions.Check(stages.Count >= 2, "A funnel has at least two stages.", nameof(stages));
        Preconditions.Check(stages.All(s => s != default) && stages.Distinct().Count() == stages.Count, "The stages are not default and all different.", nameof(stages));
        Preconditions.Check(MetricId.TryParse($"{name}-stage-{stages.Count - 1}", out var key) && key.Value == $"{name}-stage-{stages.Count - 1}", "The name makes no valid figure key '{name}-stage-{i}'.", nameof(name));
        Name = name;
        Stages = [.. stages];
        Figures = [.. Enumerable.Range(0, stages.Count).Select(i => new FigureKey($"{name}-stage-{i}"))];
    }

    /// <summary>The default model's acquisition-to-loyalty chain, named <c>funnel</c>: prospect → first-time-customer → repeat-customer → loyal-advocate.</summary>
    public static LifecycleFunnel Customer { get; } = new("funnel", [DefaultLifecycleModel.Prospect, DefaultLifecycleModel.FirstTimeCustomer, DefaultLifecycleModel.RepeatCustomer, DefaultLifecycleModel.LoyalAdvocate]);

    /// <summary>The default model's recovery pair, named <c>recovery-funnel</c>: dissatisfied → recovered.</summary>
    public static LifecycleFunnel Recovery { get; } = new("recovery-funnel", [DefaultLifecycleModel.Dissatisfied, DefaultLifecycleModel.Recovered]);

    /// <summary>The funnels evaluated when the request names none: <see cref="Customer"/> and <see cref="Recovery"/>.</summary>
    public static IReadOnlyList<LifecycleFunnel> Standard { get; } = [Customer, Recovery];

    /// <summary>The figure prefix.</summary>
    public string Name { get; }

    /// <summary>The stages, first first.</summary>
    public IReadOnlyList<LifecycleStage> Stages { get; }

    /// <summary>The stage-entry figures, one per stage.</summary>
    public IReadOnlyList<FigureKey> Figures { get; }

    /// <summary>The figure counting the cohort's entries into stage <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a stage index.</exception>
    public FigureKey StageFigure(int index)
    {
        if ((uint)index >= (uint)Figures.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "Not a stage of the funnel.");
        }

        return Figures[index];
    }

    /// <summary>The stage conversions of an evaluated period from its figures (the explanation of the funnel).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="figures"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The figures do not hold this funnel's stage counts (it was not in the request).</exception>
    public Catalogue.FunnelConversionResult Explain(MetricFigures figures)
    {
        Preconditions.NotNull(figures);
        var counts = new long[Figures.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = figures.TryGet(Figures[i], out var value) ? (long)value : throw new KeyNotFoundException($"The figures hold no '{Figures[i]}'; evaluate with this funnel in the request.");
        }

        return Catalogue.FunnelConversion.Compute(counts);
    }

    internal static IReadOnlyList<LifecycleFunnel> CheckAll(IReadOnlyList<LifecycleFunnel> funnels, string parameterName)
    {
        Preconditions.NotNull(funnels, parameterName);
        Preconditions.Check(funnels.All(f => f is not null), "A funnel is null.", parameterName);
        Preconditions.Check(funnels.Select(f => f.Name).Distinct().Count() == funnels.Count, "Two funnels share a name.", parameterName);
        return [.. funnels];
    }

    /// <summary>
    /// The highest stage index a customer reached as a member of the cohort of [start, end), or -1 when they are not in
    /// the cohort; <paramref name="joinedAt"/> is when they entered the first stage. Allocates nothing.
    /// </summary>
    internal int Reached(Instant createdAt, LifecycleStage createdIn, IReadOnlyList<LifecycleTransitionRecord> history, Instant start, Instant end, out Instant joinedAt)
        => Reached(createdAt, createdIn, new RecordSteps(history), start, end, out joinedAt);

    /// <summary>As <see cref="Reached(Instant, LifecycleStage, IReadOnlyList{LifecycleTransitionRecord}, Instant, Instant, out Instant)"/>, over a compact history (the stages entered and when).</summary>
    internal int Reached(Instant createdAt, LifecycleStage createdIn, ReadOnlySpan<LifecycleStageEntry> entries, Instant start, Instant end, out Instant joinedAt)
        => Reached(createdAt, createdIn, new EntrySteps(entries), start, end, out joinedAt);

    private int Reached<TSteps>(Instant createdAt, LifecycleStage createdIn, TSteps history, Instant start, Instant end, out Instant joinedAt)
        where TSteps : IStageSteps, allows ref struct
    {
        var reached = -1;
        joinedAt = default;
        var last = Stages.Count - 1;
        for (var i = -1; i < history.Count && reached < last; i++)
        {
            LifecycleStage stage;
            Instant at;
            if (i < 0)
            {
                stage = createdIn;
                at = createdAt;
            }
            else
            {
                (stage, at) = history.Step(i);
            }

            if (at >= end)
            {
                break;
            }

            if (reached < 0)
            {
                if (at >= start && stage == Stages[0])
                {
                    reached = 0;
                    joinedAt = at;
                }
            }
            else if (stage == Stages[reached + 1])
            {
                reached++;
            }
        }

        return reached;
    }

    /// <summary>A lifecycle history as the stages entered and when, oldest first, whatever form it is kept in.</summary>
    private interface IStageSteps
    {
        int Count { get; }

        (LifecycleStage Stage, Instant At) Step(int index);
    }

    private readonly struct RecordSteps(IReadOnlyList<LifecycleTransitionRecord> history) : IStageSteps
    {
        public int Count => history.Count;

        public (LifecycleStage Stage, Instant At) Step(int index)
        {
            var transition = history[index];
            return (transition.To, transition.At);
        }
    }

    private readonly ref struct EntrySteps(ReadOnlySpan<LifecycleStageEntry> entries) : IStageSteps
    {
        private readonly ReadOnlySpan<LifecycleStageEntry> _entries = entries;

        public int Count => _entries.Length;

        public (LifecycleStage Stage, Instant At) Step(int index)
        {
            ref readonly var entry = ref _entries[index];
            return (entry.Stage, entry.At);
        }
    }
}
