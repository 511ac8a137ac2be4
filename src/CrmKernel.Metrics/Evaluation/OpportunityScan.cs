using System.Runtime.InteropServices;
using CrmKernel.Diagnostics;
using CrmKernel.ExchangeRates;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Primitives;
using CrmKernel.Sales;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// The one-pass accumulator behind the sales metrics: feed it every deal of a tenant with its pipeline and it produces
/// the deal figures of <see cref="StandardFigures.FromDeals"/> for one period, each deal judged by where it stood at the
/// period end, reconstructed from its stage history (the as-of rule). <see cref="OpportunityMetricSource"/> drives it
/// from the stores for <see cref="MetricEvaluator"/>; <see cref="SalesPerformance"/> drives it over deals at hand; bulk
/// callers drive it directly and merge partial scans with <see cref="Merge"/>.
/// </summary>
/// <remarks>
/// <para>The as-of rule: the period is [start, end), the zone's first day at 00:00 to the day after the last. A deal's
/// state at the period end is the one its last history entry before <c>end</c> left it in; entries at or after
/// <c>end</c> (a later move, a reopen, a win) do not count, and a deal opened at or after <c>end</c> does not exist yet.
/// So a deal lost in March and reopened in April counts as lost in March; a deal open on 31 March and won in April was
/// open at March's end. For a period not yet over, the state at its end is the state now.</para>
/// <list type="bullet">
/// <item><b>Closed in the period</b>: its state at the end is won or lost, reached by an entry inside the period.</item>
/// <item><b>Open at the end</b>: its state at the end is open (in the stage that entry moved it to).</item>
/// <item><b>Probability and forecast category at the end</b>: those the deal recorded on entering the stage when that
/// visit is its latest open one; for an earlier visit, the stage's in the deal's pipeline as given (a deal keeps only
/// its latest visit's values; pipelines never lose stages).</item>
/// <item><b>Amount and expected close date</b>: the deal's current ones (line items and reschedules have no history on
/// the deal). Closed deals are converted at the rate of their closing day in the zone, open ones at the period's last day.</item>
/// <item><b>Stage entries</b>: a deal entering a stage (opened into it, moved to it, reopened into it) inside the period
/// counts once per stage; it <b>advanced</b> when, after that first entry and before the end, it moved to a stage later in
/// its pipeline's order or was won (right-censored, like the lifecycle funnel).</item>
/// <item><b>Stage visits</b>: from entering a stage to the next entry (a move, a win, a loss); a visit counts in the period
/// its leaving falls in, with its whole length in days (days are 86,400 s; elapsed time, not calendar days).</item>
/// </list>
/// <para>Durations are summed as exact tick counts and turned into days (÷ 864,000,000,000) once, in <see cref="ToFigures"/>,
/// so figures of partial scans of disjoint deals merged with <see cref="Merge"/> equal those of one scan of all of them
/// exactly, whatever the partition and order.</para>
/// </remarks>
public sealed class OpportunityScan
{
    /// <summary>The record selection of the deals closed (won or lost) in the period.</summary>
    public const string ClosedInPeriod = "closed-in-period";

    /// <summary>The record selection of the deals won in the period.</summary>
    public const string WonInPeriod = "won-in-period";

    /// <summary>The record selection of the deals open at the period end.</summary>
    public const string OpenAtEnd = "open-at-period-end";

    /// <summary>The record selection of the forecast: deals open at the end expected to close in the period, and deals won in it.</summary>
    public const string Forecast = "forecast";

    /// <summary>The record selection of pipeline velocity: deals open at the end or closed in the period.</summary>
    public const string Velocity = "velocity";

    /// <summary>The record selection of the deals that entered a stage in the period.</summary>
    public const string EnteredStage = "entered-stage";

    /// <summary>The record selection of the deals that left a stage (moved on, won or lost) in the period.</summary>
    public const string LeftStage = "left-stage";

    private static readonly HashSet<string> Selections = [ClosedInPeriod, WonInPeriod, OpenAtEnd, Forecast, Velocity, EnteredStage, LeftStage];

    private readonly Dictionary<SalesPipelineId, Stages> _pipelines = [];
    private readonly Dictionary<(SalesPipelineId Pipeline, string Stage), StageTally> _stages = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private long _won, _lost, _open;
    private decimal _amountWon, _amountLost, _cycleTicks, _pipeline, _weighted, _forecastPipeline, _forecastBestCase, _forecastCommit;

    /// <summary>Creates a scan of one period.</summary>
    /// <param name="period">The reporting period (whole days).</param>
    /// <param name="zone">The zone the days are interpreted in.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public OpportunityScan(DateInterval period, DateTimeZone zone)
    {
        Period = Preconditions.NotNull(period);
        Zone = Preconditions.NotNull(zone);
        Start = zone.AtStartOfDay(period.Start).ToInstant();
        End = zone.AtStartOfDay(period.End.PlusDays(1)).ToInstant();
    }

    /// <summary>The reporting period.</summary>
    public DateInterval Period { get; }

    /// <summary>The reporting zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The period's first instant (inclusive).</summary>
    public Instant Start { get; }

    /// <summary>The period's end (exclusive): the instant the deals' state is reconstructed at.</summary>
    public Instant End { get; }

    /// <summary>Adds one deal, judged at the period end (see the remarks), converting its amount when it counts in an amount.</summary>
    /// <param name="deal">The deal.</param>
    /// <param name="pipeline">The deal's pipeline (for stage order and earlier visits' probability and category).</param>
    /// <param name="converter">Converts into the reporting currency; its rates are cached, so a scan fetches each once.</param>
    /// <param name="cancellationToken">Cancels a rate lookup.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The pipeline is not the deal's.</exception>
    /// <exception cref="ExchangeRateNotFoundException">A rate is missing (<c>CRM-MONEY-002</c>); nothing of the deal was added.</exception>
    public ValueTask AddAsync(Opportunity deal, SalesPipeline pipeline, CurrencyConverter converter, CancellationToken cancellationToken = default)
    {
        Preconditions.NotNull(deal);
        Preconditions.NotNull(pipeline);
        Preconditions.NotNull(converter);
        Preconditions.Check(pipeline.Id == deal.PipelineId && pipeline.TenantId == deal.TenantId, "The pipeline is not the deal's.", nameof(pipeline));
        var k = StateAtEnd(deal);
        if (k < 0)
        {
            return ValueTask.CompletedTask;
        }

        var entry = deal.History[k];
        var closed = entry.ToStatus != OpportunityStatus.Open;
        if (closed && entry.At < Start)
        {
            // Closed before the period and not changed before its end: no entry falls inside it.
            return ValueTask.CompletedTask;
        }

        var date = closed ? entry.At.InZone(Zone).Date : Period.End;
        return converter.TryConvertCached(deal.Amount, date, out var amount)
            ? AddCore(deal, pipeline, k, amount)
            : AddConvertingAsync(deal, pipeline, k, converter, date, cancellationToken);
    }

    /// <summary>Whether <paramref name="deal"/> is among the records of <paramref name="selection"/> (one of this type's selection constants) for this scan's period: the drill-down's test, the same as the figures'.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The selection is not one of this type's constants.</exception>
    public bool Selects(Opportunity deal, string selection)
    {
        Preconditions.NotNull(deal);
        CheckSelection(selection);
        var k = StateAtEnd(deal);
        if (k < 0)
        {
            return false;
        }

        var entry = deal.History[k];
        var open = entry.ToStatus == OpportunityStatus.Open;
        var closedInPeriod = !open && entry.At >= Start;
        var won = closedInPeriod && entry.ToStatus == OpportunityStatus.Won;
        return selection switch
        {
            ClosedInPeriod => closedInPeriod,
            WonInPeriod => won,
            OpenAtEnd => open,
            Forecast => won || (open && Period.Contains(deal.ExpectedCloseDate)),
            Velocity => open || closedInPeriod,
            EnteredStage => EntersStage(deal.History, k),
            _ => LeavesStage(deal.History, k),
        };
    }

    /// <summary>Adds the figures of <paramref name="other"/>, a scan of the same period and zone over other deals.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">The scans are of different periods or zones, or the same scan.</exception>
    public void Merge(OpportunityScan other)
    {
        Preconditions.NotNull(other);
        Preconditions.Check(!ReferenceEquals(other, this), "A scan cannot be merged into itself.", nameof(other));
        Preconditions.Check(other.Period == Period && other.Zone.Equals(Zone), "The scans are of different periods or zones.", nameof(other));
        _won += other._won;
        _lost += other._lost;
        _open += other._open;
        _amountWon += other._amountWon;
        _amountLost += other._amountLost;
        _cycleTicks += other._cycleTicks;
        _pipeline += other._pipeline;
        _weighted += other._weighted;
        _forecastPipeline += other._forecastPipeline;
        _forecastBestCase += other._forecastBestCase;
        _forecastCommit += other._forecastCommit;
        foreach (var (id, stages) in other._pipelines)
        {
            _pipelines.TryAdd(id, stages);
        }

        foreach (var (key, tally) in other._stages)
        {
            ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(_stages, key, out _);
            mine.Position = tally.Position;
            mine.Entered += tally.Entered;
            mine.Advanced += tally.Advanced;
            mine.Visits += tally.Visits;
            mine.VisitTicks += tally.VisitTicks;
        }
    }

    /// <summary>
    /// The figures of <see cref="StandardFigures.FromDeals"/>; the stage figures carry rows keyed
    /// <c>{pipeline id}/{stage key}</c>, in pipeline id then stage order.
    /// </summary>
    /// <param name="currency">The currency the amounts were converted into.</param>
    public MetricFigures ToFigures(Currency currency)
    {
        var values = new Dictionary<FigureKey, decimal>
        {
            [StandardFigures.DealsWon] = _won,
            [StandardFigures.DealsLost] = _lost,
            [StandardFigures.AmountWon] = _amountWon,
            [StandardFigures.AmountLost] = _amountLost,
            [StandardFigures.DealsClosed] = _won + _lost,
            [StandardFigures.AmountClosed] = _amountWon + _amountLost,
            [StandardFigures.WonCycleDays] = _cycleTicks / TimeSpan.TicksPerDay,
            [StandardFigures.OpenDeals] = _open,
            [StandardFigures.PipelineAmount] = _pipeline,
            [StandardFigures.WeightedPipelineAmount] = _weighted,
            [StandardFigures.ForecastPipeline] = _forecastPipeline,
            [StandardFigures.ForecastBestCase] = _forecastBestCase,
            [StandardFigures.ForecastCommit] = _forecastCommit,
        };
        var ordered = _stages.OrderBy(s => s.Key.Pipeline).ThenBy(s => s.Value.Position).ThenBy(s => s.Key.Stage, StringComparer.Ordinal).ToList();
        var rows = new Dictionary<FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>>
        {
            [StandardFigures.StageEntries] = Rows(ordered, t => t.Entered),
            [StandardFigures.StageAdvances] = Rows(ordered, t => t.Advanced),
            [StandardFigures.StageVisits] = Rows(ordered, t => t.Visits),
            [StandardFigures.StageVisitDays] = Rows(ordered, t => t.VisitTicks / TimeSpan.TicksPerDay),
        };
        foreach (var (key, list) in rows)
        {
            values[key] = list.Sum(r => r.Value);
        }

        return new MetricFigures(currency, values, null, rows);
    }

    /// <summary>Checks that <paramref name="selection"/> is one of this type's selection constants.</summary>
    internal static void CheckSelection(string selection)
    {
        Preconditions.NotNull(selection);
        Preconditions.Check(Selections.Contains(selection), $"'{selection}' is not a deal selection.", nameof(selection));
    }

    private static List<KeyValuePair<string, decimal>> Rows(List<KeyValuePair<(SalesPipelineId Pipeline, string Stage), StageTally>> ordered, Func<StageTally, decimal> value)
        => [.. ordered.Select(s => new KeyValuePair<string, decimal>($"{s.Key.Pipeline}/{s.Key.Stage}", value(s.Value)))];

    /// <summary>The index of the deal's last history entry before the end; -1 when it was opened at or after it.</summary>
    private int StateAtEnd(Opportunity deal)
    {
        var history = deal.History;
        var k = history.Count - 1;
        while (k >= 0 && history[k].At >= End)
        {
            k--;
        }

        return k;
    }

    private bool EntersStage(IReadOnlyList<OpportunityStageChange> history, int last)
    {
        for (var i = 0; i <= last; i++)
        {
            if (history[i].ToStatus == OpportunityStatus.Open && history[i].At >= Start)
            {
                return true;
            }
        }

        return false;
    }

    private bool LeavesStage(IReadOnlyList<OpportunityStageChange> history, int last)
    {
        for (var i = 1; i <= last; i++)
        {
            if (history[i - 1].ToStatus == OpportunityStatus.Open && history[i].At >= Start)
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask AddConvertingAsync(Opportunity deal, SalesPipeline pipeline, int k, CurrencyConverter converter, LocalDate date, CancellationToken cancellationToken)
    {
        var amount = (await converter.ConvertAsync(deal.Amount, date, cancellationToken).ConfigureAwait(false)).Amount;
        await AddCore(deal, pipeline, k, amount).ConfigureAwait(false);
    }

    private ValueTask AddCore(Opportunity deal, SalesPipeline pipeline, int k, decimal amount)
    {
        var history = deal.History;
        var entry = history[k];
        switch (entry.ToStatus)
        {
            case OpportunityStatus.Won:
                _won++;
                _amountWon += amount;
                _cycleTicks += (entry.At - deal.OpenedAt).BclCompatibleTicks;
                break;
            case OpportunityStatus.Lost:
                _lost++;
                _amountLost += amount;
                break;
            default:
                var (probability, category) = StageValuesAt(deal, pipeline, k);
                _open++;
                _pipeline += amount;
                _weighted += amount * probability;
                if (Period.Contains(deal.ExpectedCloseDate))
                {
                    switch (category)
                    {
                        case ForecastCategory.Commit:
                            _forecastCommit += amount;
                            break;
                        case ForecastCategory.BestCase:
                            _forecastBestCase += amount;
                            break;
                        default:
                            _forecastPipeline += amount;
                            break;
                    }
                }

                break;
        }

        AddStages(deal, pipeline);
        return ValueTask.CompletedTask;
    }

    /// <summary>The probability and category of the stage the deal was in at entry <paramref name="k"/> (see the remarks).</summary>
    private static (decimal Probability, ForecastCategory Category) StageValuesAt(Opportunity deal, SalesPipeline pipeline, int k)
    {
        var history = deal.History;
        for (var i = k + 1; i < history.Count; i++)
        {
            if (history[i].ToStatus == OpportunityStatus.Open)
            {
                // The deal has entered a stage since: its recorded values are that later visit's.
                var stage = pipeline.FindStage(history[k].ToStage);
                return stage is null ? (deal.StageProbability, deal.StageForecastCategory) : (stage.DefaultProbability, stage.ForecastCategory);
            }
        }

        return (deal.StageProbability, deal.StageForecastCategory);
    }

    /// <summary>The stage entries, advances and visits of the deal inside the period, up to its state at the end.</summary>
    private void AddStages(Opportunity deal, SalesPipeline pipeline)
    {
        var history = deal.History;
        var stages = StagesOf(pipeline);
        _seen.Clear();
        for (var i = 0; i < history.Count && history[i].At < End; i++)
        {
            var entry = history[i];
            if (entry.ToStatus != OpportunityStatus.Open)
            {
                continue;
            }

            var position = stages.PositionOf(entry.ToStage);
            if (i + 1 < history.Count && history[i + 1].At >= Start && history[i + 1].At < End)
            {
                ref var visited = ref Tally(deal.PipelineId, entry.ToStage, position);
                visited.Visits++;
                visited.VisitTicks += (history[i + 1].At - entry.At).BclCompatibleTicks;
            }

            if (entry.At < Start || !_seen.Add(entry.ToStage))
            {
                continue;
            }

            ref var tally = ref Tally(deal.PipelineId, entry.ToStage, position);
            tally.Entered++;
            for (var j = i + 1; j < history.Count && history[j].At < End; j++)
            {
                var later = history[j];
                if (later.ToStatus == OpportunityStatus.Won || (later.ToStatus == OpportunityStatus.Open && stages.PositionOf(later.ToStage) > position))
                {
                    tally.Advanced++;
                    break;
                }
            }
        }
    }

    private ref StageTally Tally(SalesPipelineId pipeline, string stage, int position)
    {
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_stages, (pipeline, stage), out var exists);
        if (!exists)
        {
            tally.Position = position;
        }

        return ref tally;
    }

    private Stages StagesOf(SalesPipeline pipeline)
    {
        if (!_pipelines.TryGetValue(pipeline.Id, out var stages) || !ReferenceEquals(stages.Pipeline, pipeline))
        {
            stages = new Stages(pipeline);
            _pipelines[pipeline.Id] = stages;
        }

        return stages;
    }

    /// <summary>A pipeline's stage positions by (already normalised) key, built once per pipeline.</summary>
    private sealed class Stages
    {
        private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

        public Stages(SalesPipeline pipeline)
        {
            Pipeline = pipeline;
            for (var i = 0; i < pipeline.Stages.Count; i++)
            {
                _positions[pipeline.Stages[i].Key] = i;
            }
        }

        public SalesPipeline Pipeline { get; }

        public int PositionOf(string key) => _positions.TryGetValue(key, out var i) ? i : int.MaxValue;
    }

    private struct StageTally
    {
        public int Position;
        public long Entered;
        public long Advanced;
        public long Visits;
        public decimal VisitTicks;
    }
}
