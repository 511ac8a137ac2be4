using System.Runtime.InteropServices;
using CrmKernel.Calendars;
using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Metrics.Catalogue;
using CrmKernel.Metrics.Definitions;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Metrics.Evaluation;

/// <summary>
/// The one-pass accumulator behind the service metrics: feed it every case of a tenant with its SLA policy and it
/// produces the case figures of <see cref="StandardFigures.FromCases"/> for one period, each case judged by its status
/// history up to the period end (the as-of rule, as <see cref="OpportunityScan"/> judges deals).
/// <see cref="CaseMetricSource"/> drives it from the case store for <see cref="MetricEvaluator"/>; bulk callers drive it
/// directly and merge partial scans with <see cref="Merge"/>.
/// </summary>
/// <remarks>
/// <para>The as-of rule: the period is [start, end), the zone's first day at 00:00 to the day after the last. Only a
/// case's history entries before <c>end</c> count; a case opened at or after <c>end</c> does not exist yet, and a
/// duplicate merged into another case before <c>end</c> is left out of every figure (its survivor counts).</para>
/// <list type="bullet">
/// <item><b>Resolved in the period</b>: the case has a resolution entry inside the period. Its resolution <em>for the
/// period</em> is the latest such entry (a case resolved, reopened and resolved again in the period counts once).</item>
/// <item><b>Resolution time</b>: business time on the calendar (below) from the opening to that resolution — gross:
/// waiting on the customer counts. <b>Handle time</b>: business time of the stretches in progress before that resolution.
/// Both are summed as exact nanoseconds and turned into seconds once, in <see cref="ToFigures"/>.</item>
/// <item><b>Reopened</b>: a reopen entry before <c>end</c> within 7 days of a resolution inside the period.</item>
/// <item><b>First-contact resolution</b>: resolved in the period with at most one contact (<see cref="ServiceCase.ContactCount"/>;
/// a case opened directly has none) and no reopen entry at all before <c>end</c>. A case resolved in the period's last
/// 7 days counts as resolved on first contact when it was not reopened before the period end: right-censored, like
/// the lifecycle funnel, and stable — evaluating the period again later gives the same answer, because later reopens
/// fall after <c>end</c>. The contact count is the case's current one (touchpoints carry no attach time on the case;
/// an inactive case cannot gain contacts, so a case that was not reopened only differs when a merge moved a duplicate's
/// touchpoints onto it after its resolution).</item>
/// <item><b>SLA</b>: for a case with a known policy, the policy's clock at that resolution (the case's current priority,
/// its first response when before the resolution, the business time waiting on the customer before it) evaluated at
/// the resolution instant; a target is met when its state is <see cref="SlaState.Met"/>. Cases without a policy, or
/// naming one the source does not know, are not in the SLA figures.</item>
/// <item><b>Open at the end</b>: the last entry before <c>end</c> leaves the case new, in progress or waiting on the
/// customer; rows per current priority.</item>
/// <item><b>Complaint recovered</b>: a complaint case resolved in the period whose resolution for the period carries a
/// satisfaction score of <see cref="SatisfactionPolarity.Positive"/> polarity (CSAT 4–5, NPS 9–10, CES 1–2, CES 2.0
/// 5–7, the lifecycle's threshold for recovery). A case keeps only its latest resolution: when it was resolved again at
/// or after <c>end</c>, the period's score is unknown and counts as not recovered.</item>
/// </list>
/// <para>Business time is counted on the calendar of the case's SLA policy, or the scan's default calendar for a case
/// without one. Figures of partial scans of disjoint cases merged with <see cref="Merge"/> equal those of one scan of
/// all of them exactly, whatever the partition and order.</para>
/// </remarks>
public sealed class CaseScan
{
    /// <summary>The record selection of the cases resolved in the period.</summary>
    public const string ResolvedInPeriod = "resolved-in-period";

    /// <summary>The record selection of the cases resolved in the period under a known SLA policy.</summary>
    public const string ResolvedUnderSla = "resolved-under-sla";

    /// <summary>The record selection of the cases open at the period end.</summary>
    public const string OpenAtEnd = "open-at-period-end";

    /// <summary>The record selection of the complaint cases resolved in the period.</summary>
    public const string ComplaintsResolved = "complaints-resolved-in-period";

    /// <summary>How long after a resolution a reopen undoes it for first-contact resolution and counts for the reopen rate.</summary>
    public static Duration ReopenWindow { get; } = Duration.FromDays(7);

    private static readonly HashSet<string> Selections = [ResolvedInPeriod, ResolvedUnderSla, OpenAtEnd, ComplaintsResolved];

    private static readonly CasePriority[] Priorities = [CasePriority.Low, CasePriority.Normal, CasePriority.High, CasePriority.Urgent];

    private readonly Dictionary<string, CategoryTally> _categories = new(StringComparer.Ordinal);
    private readonly long[] _open = new long[Priorities.Length];
    private long _reopened, _underSla, _slaMet, _firstResponseMet, _resolutionMet, _complaints, _recovered;

    /// <summary>Creates a scan of one period.</summary>
    /// <param name="period">The reporting period (whole days).</param>
    /// <param name="zone">The zone the days are interpreted in.</param>
    /// <param name="defaultCalendar">The business calendar of cases without an SLA policy.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CaseScan(DateInterval period, DateTimeZone zone, BusinessCalendar defaultCalendar)
    {
        Period = Preconditions.NotNull(period);
        Zone = Preconditions.NotNull(zone);
        DefaultCalendar = Preconditions.NotNull(defaultCalendar);
        Start = zone.AtStartOfDay(period.Start).ToInstant();
        End = zone.AtStartOfDay(period.End.PlusDays(1)).ToInstant();
    }

    /// <summary>The reporting period.</summary>
    public DateInterval Period { get; }

    /// <summary>The reporting zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The business calendar of cases without an SLA policy.</summary>
    public BusinessCalendar DefaultCalendar { get; }

    /// <summary>The period's first instant (inclusive).</summary>
    public Instant Start { get; }

    /// <summary>The period's end (exclusive): the cases are judged by their history before it.</summary>
    public Instant End { get; }

    /// <summary>Adds one case, judged at the period end (see the remarks).</summary>
    /// <param name="serviceCase">The case.</param>
    /// <param name="policy">The case's SLA policy; null when it has none or names one the caller does not know.</param>
    /// <exception cref="ArgumentNullException"><paramref name="serviceCase"/> is null.</exception>
    /// <exception cref="ArgumentException">The policy's name is not the case's.</exception>
    public void Add(ServiceCase serviceCase, SlaPolicy? policy)
    {
        var k = StateAtEnd(serviceCase, policy);
        if (k < 0)
        {
            return;
        }

        var history = serviceCase.History;
        if (history[k].ToStatus is CaseStatus.New or CaseStatus.InProgress or CaseStatus.WaitingOnCustomer)
        {
            _open[(int)serviceCase.Priority - 1]++;
        }

        var (first, last) = ResolutionsInPeriod(history, k);
        if (last < 0)
        {
            return;
        }

        var calendar = policy?.Calendar ?? DefaultCalendar;
        var resolvedAt = history[last].At;
        var openedAt = serviceCase.OpenedAt;
        Int128 handle = 0;
        long paused = 0;
        var reopenedEver = false;
        var reopened = false;
        for (var i = 0; i < last; i++)
        {
            var entry = history[i];
            var next = history[i + 1];
            if (entry.ToStatus == CaseStatus.InProgress)
            {
                handle += calendar.BusinessTimeBetween(entry.At, next.At).ToInt64Nanoseconds();
            }
            else if (entry.ToStatus == CaseStatus.WaitingOnCustomer && policy is not null)
            {
                paused += policy.Calendar.BusinessTimeBetween(entry.At, next.At).ToInt64Nanoseconds();
            }
        }

        for (var i = 1; i <= k; i++)
        {
            if (IsReopen(history[i]))
            {
                reopenedEver = true;
                reopened |= i - 1 >= first && history[i].At <= history[i - 1].At + ReopenWindow;
            }
        }

        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_categories, serviceCase.Category, out _);
        tally.Resolved++;
        tally.ResolutionNanos += calendar.BusinessTimeBetween(openedAt, resolvedAt).ToInt64Nanoseconds();
        tally.HandleNanos += handle;
        if (serviceCase.ContactCount <= 1 && !reopenedEver)
        {
            tally.FirstContact++;
        }

        if (reopened)
        {
            _reopened++;
        }

        if (policy is not null)
        {
            var responded = serviceCase.FirstResponseAt is { } r && r <= resolvedAt ? r : (Instant?)null;
            var clock = new SlaClock(serviceCase.Priority, openedAt, responded, resolvedAt, Duration.FromNanoseconds(paused), null);
            var evaluation = policy.Evaluate(clock, resolvedAt);
            var responseMet = evaluation.FirstResponse.State == SlaState.Met;
            var resolutionMet = evaluation.Resolution.State == SlaState.Met;
            _underSla++;
            _firstResponseMet += responseMet ? 1 : 0;
            _resolutionMet += resolutionMet ? 1 : 0;
            _slaMet += responseMet && resolutionMet ? 1 : 0;
        }

        if (serviceCase.IsComplaint)
        {
            _complaints++;
            if (serviceCase.Resolution is { } resolution && resolution.At == resolvedAt && resolution.Satisfaction?.Polarity == SatisfactionPolarity.Positive)
            {
                _recovered++;
            }
        }
    }

    /// <summary>Whether <paramref name="serviceCase"/> is among the records of <paramref name="selection"/> (one of this type's selection constants) for this scan's period: the drill-down's test, the same as the figures'.</summary>
    /// <param name="serviceCase">The case.</param>
    /// <param name="policy">The case's SLA policy, as given to <see cref="Add"/>.</param>
    /// <param name="selection">The selection.</param>
    /// <exception cref="ArgumentNullException">A reference argument other than the policy is null.</exception>
    /// <exception cref="ArgumentException">The selection is not one of this type's constants, or the policy's name is not the case's.</exception>
    public bool Selects(ServiceCase serviceCase, SlaPolicy? policy, string selection)
    {
        Preconditions.NotNull(serviceCase);
        CheckSelection(selection);
        var k = StateAtEnd(serviceCase, policy);
        if (k < 0)
        {
            return false;
        }

        var history = serviceCase.History;
        if (selection == OpenAtEnd)
        {
            return history[k].ToStatus is CaseStatus.New or CaseStatus.InProgress or CaseStatus.WaitingOnCustomer;
        }

        var resolved = ResolutionsInPeriod(history, k).Last >= 0;
        return selection switch
        {
            ResolvedInPeriod => resolved,
            ResolvedUnderSla => resolved && policy is not null,
            _ => resolved && serviceCase.IsComplaint,
        };
    }

    /// <summary>Adds the figures of <paramref name="other"/>, a scan of the same period and zone over other cases.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">The scans are of different periods or zones, or the same scan.</exception>
    public void Merge(CaseScan other)
    {
        Preconditions.NotNull(other);
        Preconditions.Check(!ReferenceEquals(other, this), "A scan cannot be merged into itself.", nameof(other));
        Preconditions.Check(other.Period == Period && other.Zone.Equals(Zone), "The scans are of different periods or zones.", nameof(other));
        _reopened += other._reopened;
        _underSla += other._underSla;
        _slaMet += other._slaMet;
        _firstResponseMet += other._firstResponseMet;
        _resolutionMet += other._resolutionMet;
        _complaints += other._complaints;
        _recovered += other._recovered;
        for (var i = 0; i < _open.Length; i++)
        {
            _open[i] += other._open[i];
        }

        foreach (var (category, tally) in other._categories)
        {
            ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(_categories, category, out _);
            mine.Resolved += tally.Resolved;
            mine.FirstContact += tally.FirstContact;
            mine.ResolutionNanos += tally.ResolutionNanos;
            mine.HandleNanos += tally.HandleNanos;
        }
    }

    /// <summary>
    /// The figures of <see cref="StandardFigures.FromCases"/>: the resolved, first-contact, resolution-time and
    /// handle-time figures carry rows per category (ordinal order), the open cases rows per priority (low to urgent).
    /// </summary>
    /// <param name="currency">The reporting currency (the case figures hold no money).</param>
    public MetricFigures ToFigures(Currency currency)
    {
        var ordered = _categories.OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        var rows = new Dictionary<FigureKey, IReadOnlyList<KeyValuePair<string, decimal>>>
        {
            [StandardFigures.CasesResolved] = [.. ordered.Select(c => Row(c.Key, c.Value.Resolved))],
            [StandardFigures.CasesResolvedFirstContact] = [.. ordered.Select(c => Row(c.Key, c.Value.FirstContact))],
            [StandardFigures.CaseResolutionSeconds] = [.. ordered.Select(c => Row(c.Key, Seconds(c.Value.ResolutionNanos)))],
            [StandardFigures.CaseHandleSeconds] = [.. ordered.Select(c => Row(c.Key, Seconds(c.Value.HandleNanos)))],
            [StandardFigures.CasesOpen] = [.. Priorities.Select((p, i) => Row(p.ToString().ToLowerInvariant(), _open[i]))],
        };
        var values = new Dictionary<FigureKey, decimal>
        {
            [StandardFigures.CasesReopened] = _reopened,
            [StandardFigures.CasesResolvedUnderSla] = _underSla,
            [StandardFigures.CasesSlaMet] = _slaMet,
            [StandardFigures.CasesFirstResponseMet] = _firstResponseMet,
            [StandardFigures.CasesResolutionMet] = _resolutionMet,
            [StandardFigures.ComplaintCasesResolved] = _complaints,
            [StandardFigures.ComplaintCasesRecovered] = _recovered,
            [StandardFigures.CasesResolved] = ordered.Sum(c => (decimal)c.Value.Resolved),
            [StandardFigures.CasesResolvedFirstContact] = ordered.Sum(c => (decimal)c.Value.FirstContact),
            [StandardFigures.CaseResolutionSeconds] = Seconds(ordered.Aggregate(Int128.Zero, (s, c) => s + c.Value.ResolutionNanos)),
            [StandardFigures.CaseHandleSeconds] = Seconds(ordered.Aggregate(Int128.Zero, (s, c) => s + c.Value.HandleNanos)),
            [StandardFigures.CasesOpen] = _open.Sum(),
        };
        return new MetricFigures(currency, values, null, rows);
    }

    /// <summary>Checks that <paramref name="selection"/> is one of this type's selection constants.</summary>
    internal static void CheckSelection(string selection)
    {
        Preconditions.NotNull(selection);
        Preconditions.Check(Selections.Contains(selection), $"'{selection}' is not a case selection.", nameof(selection));
    }

    private static KeyValuePair<string, decimal> Row(string key, decimal value) => new(key, value);

    private static decimal Seconds(Int128 nanos) => (decimal)nanos / 1_000_000_000m;

    private static bool IsReopen(CaseStatusChange change) => change.FromStatus == CaseStatus.Resolved && change.ToStatus == CaseStatus.InProgress;

    /// <summary>The index of the case's last history entry before the end; -1 when it did not exist yet or was merged away before it.</summary>
    private int StateAtEnd(ServiceCase serviceCase, SlaPolicy? policy)
    {
        Preconditions.NotNull(serviceCase);
        Preconditions.Check(policy is null || policy.Name == serviceCase.SlaPolicy, "The policy is not the case's.", nameof(policy));
        var history = serviceCase.History;
        if (serviceCase.MergedInto is not null && history[^1].At < End)
        {
            return -1;
        }

        var k = history.Count - 1;
        while (k >= 0 && history[k].At >= End)
        {
            k--;
        }

        return k;
    }

    /// <summary>The first and last resolution entries inside the period up to entry <paramref name="k"/>; (-1, -1) for none.</summary>
    private (int First, int Last) ResolutionsInPeriod(IReadOnlyList<CaseStatusChange> history, int k)
    {
        int first = -1, last = -1;
        for (var i = k; i >= 0 && history[i].At >= Start; i--)
        {
            if (history[i].ToStatus == CaseStatus.Resolved)
            {
                first = i;
                last = last < 0 ? i : last;
            }
        }

        return (first, last);
    }

    private struct CategoryTally
    {
        public long Resolved;
        public long FirstContact;
        public Int128 ResolutionNanos;
        public Int128 HandleNanos;
    }
}
