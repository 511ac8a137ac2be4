using CrmKernel.Calendars;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using NodaTime;

namespace CrmKernel.Cases;

/// <summary>
/// A service-level agreement for cases: per <see cref="CasePriority"/>, how much business time may pass before the first
/// response and before the resolution, counted on a <see cref="BusinessCalendar"/>. Evaluate a case's
/// <see cref="SlaClock"/> to know whether each target is running, at risk, paused, met or breached, when it is due and
/// how much time is left; evaluate a whole queue at once with the span overload. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>The rules:</para>
/// <list type="bullet">
/// <item>Both clocks start when the case is opened and count business time only (the calendar's working hours, not
/// holidays).</item>
/// <item>The first-response clock never pauses. It stops at the first response; a case resolved without one counts the
/// resolution as its first response.</item>
/// <item>The resolution clock stops at the resolution and pauses while the case waits on the customer: the business
/// time of every pause is left out.</item>
/// <item>A target is met when its clock stops with no more than the target elapsed, and breached as soon as more than
/// the target has elapsed. A breach is permanent: a later response, resolution or pause does not undo it. Because only
/// business time counts, a target due at 17:00 on Friday is breached when work starts on Monday, not on Saturday.</item>
/// <item>A running target is at risk once <see cref="AtRiskPercent"/> of it is used.</item>
/// </list>
/// </remarks>
public sealed class SlaPolicy
{
    /// <summary>The longest policy name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The most completed pauses <see cref="CreateClock(CasePriority, Instant, Instant?, Instant?, IEnumerable{Interval}, Instant?)"/> takes for one case.</summary>
    public const int MaxPauses = 1000;

    private static readonly CasePriority[] Priorities = Enum.GetValues<CasePriority>();

    // Indexed by (int)priority: target and at-risk threshold in nanoseconds.
    private readonly long[] _firstResponse;
    private readonly long[] _resolution;
    private readonly long[] _firstResponseRisk;
    private readonly long[] _resolutionRisk;
    private readonly Dictionary<CasePriority, SlaTargets> _targets;

    /// <summary>Creates a policy.</summary>
    /// <param name="name">The policy's name, a slug (<c>a-z 0-9 - _ . : /</c>, lower-cased), e.g. <c>standard</c> or <c>premium-24x7</c>.</param>
    /// <param name="calendar">The calendar business time is counted on.</param>
    /// <param name="targets">The targets for every <see cref="CasePriority"/>, one entry each.</param>
    /// <param name="atRiskPercent">The share of a target (1 to 100 percent) after which a running target is at risk; 80 by default.</param>
    /// <exception cref="ArgumentNullException">An argument is null or <paramref name="targets"/> holds null.</exception>
    /// <exception cref="ArgumentException">The name is not a slug, or a priority has no targets or is not a defined priority.</exception>
    /// <exception cref="InputLimitExceededException">The name is longer than <see cref="MaxNameLength"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="atRiskPercent"/> is outside 1 to 100.</exception>
    public SlaPolicy(string name, BusinessCalendar calendar, IReadOnlyDictionary<CasePriority, SlaTargets> targets, int atRiskPercent = 80)
    {
        Name = Slug.Require(Preconditions.NotNull(name), MaxNameLength, "SLA policy name", nameof(name));
        Calendar = Preconditions.NotNull(calendar);
        Preconditions.NotNull(targets);
        if (atRiskPercent is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(atRiskPercent), atRiskPercent, "The at-risk share is 1 to 100 percent of a target.");
        }

        AtRiskPercent = atRiskPercent;
        _targets = new Dictionary<CasePriority, SlaTargets>(Priorities.Length);
        foreach (var (priority, value) in targets)
        {
            Preconditions.Check(Enum.IsDefined(priority), $"{priority} is not a case priority.", nameof(targets));
            Preconditions.Check(value is not null, $"The targets for {priority} must not be null.", nameof(targets));
            _targets[priority] = value!;
        }

        Targets = _targets.AsReadOnly();
        var size = (int)Priorities.Max() + 1;
        (_firstResponse, _resolution, _firstResponseRisk, _resolutionRisk) = (new long[size], new long[size], new long[size], new long[size]);
        foreach (var priority in Priorities)
        {
            Preconditions.Check(_targets.TryGetValue(priority, out var target), $"The policy has no targets for priority {priority}: give every priority its targets.", nameof(targets));
            var i = (int)priority;
            _firstResponse[i] = target!.FirstResponse.ToInt64Nanoseconds();
            _resolution[i] = target.Resolution.ToInt64Nanoseconds();
            _firstResponseRisk[i] = Threshold(_firstResponse[i], atRiskPercent);
            _resolutionRisk[i] = Threshold(_resolution[i], atRiskPercent);
        }
    }

    /// <summary>The policy's name (its slug form).</summary>
    public string Name { get; }

    /// <summary>The calendar business time is counted on.</summary>
    public BusinessCalendar Calendar { get; }

    /// <summary>The share of a target, in percent, after which a running target is <see cref="SlaState.AtRisk"/>.</summary>
    public int AtRiskPercent { get; }

    /// <summary>The targets per priority.</summary>
    public IReadOnlyDictionary<CasePriority, SlaTargets> Targets { get; }

    /// <summary>The targets for <paramref name="priority"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="priority"/> is not a defined priority.</exception>
    public SlaTargets TargetsFor(CasePriority priority) => _targets[Preconditions.Defined(priority)];

    /// <summary>
    /// Builds a case's clock from its pauses as intervals, counting their business time on <see cref="Calendar"/> once.
    /// A case aggregate that adds up its paused business time as each pause ends can call the
    /// <see cref="SlaClock"/> constructor instead.
    /// </summary>
    /// <param name="priority">The case's priority.</param>
    /// <param name="openedAt">When the case was opened.</param>
    /// <param name="firstRespondedAt">When the first response went out, or null.</param>
    /// <param name="resolvedAt">When the case was resolved, or null.</param>
    /// <param name="completedPauses">The ended pauses of the resolution clock, in order, not overlapping, after the opening and before the resolution and the current pause; at most <see cref="MaxPauses"/>.</param>
    /// <param name="pausedSince">When the current pause began, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="completedPauses"/> is null.</exception>
    /// <exception cref="ArgumentException">The instants are out of order (see <see cref="SlaClock"/>), or a pause is out of order, overlaps another or lies outside the case's open time.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An instant is outside <see cref="BusinessCalendar.SupportedRange"/>.</exception>
    /// <exception cref="InputLimitExceededException">More than <see cref="MaxPauses"/> pauses.</exception>
    public SlaClock CreateClock(CasePriority priority, Instant openedAt, Instant? firstRespondedAt, Instant? resolvedAt, IEnumerable<Interval> completedPauses, Instant? pausedSince)
    {
        var pauses = Preconditions.NotNull(completedPauses).ToArray();
        Preconditions.MaxCount(pauses.Length, MaxPauses, "pauses", nameof(completedPauses));
        var paused = Duration.Zero;
        var previousEnd = openedAt;
        foreach (var pause in pauses)
        {
            Preconditions.Check(pause.HasStart && pause.HasEnd, "A completed pause has a start and an end.", nameof(completedPauses));
            Preconditions.Check(pause.Start >= previousEnd, "The pauses must be in order, not overlapping, and after the opening.", nameof(completedPauses));
            previousEnd = pause.End;
            paused += Calendar.BusinessTimeBetween(pause.Start, pause.End);
        }

        var stop = resolvedAt ?? pausedSince;
        Preconditions.Check(stop is null || previousEnd <= stop.Value, "A completed pause must end before the resolution and before the current pause.", nameof(completedPauses));
        return new SlaClock(priority, openedAt, firstRespondedAt, resolvedAt, paused, pausedSince);
    }

    /// <summary>
    /// Builds a service case's clock under this policy (whatever policy the case names: the caller picks the policy,
    /// e.g. by <see cref="ServiceCase.SlaPolicy"/>). Walks the case's history once; allocates nothing.
    /// </summary>
    /// <remarks>
    /// <para>The case's current <see cref="ServiceCase.Priority"/> applies (an escalation that raised it applies the
    /// tighter targets from the opening on). Both clocks start at <see cref="ServiceCase.OpenedAt"/>.</para>
    /// <para>First response: <see cref="ServiceCase.FirstResponseAt"/>; a case resolved before any response counts its
    /// first resolution as its first response.</para>
    /// <para>Resolution: the clock stops at the latest resolution while the case is resolved (or closed after it), and at
    /// the merge for a duplicate closed by a merge. It pauses while the case waits on the customer. <b>Reopen rule:</b> a
    /// reopened case's resolution clock runs on from where it stopped — it still counts from the original opening, and
    /// the business time between each resolution and its reopening is left out like a pause. So a reopen neither restarts
    /// the target nor charges the agent for the days the customer took to come back; a breach before the resolution
    /// stays a breach.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="serviceCase"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An instant of the case is outside <see cref="BusinessCalendar.SupportedRange"/>.</exception>
    public SlaClock CreateClock(ServiceCase serviceCase) => Preconditions.NotNull(serviceCase).SlaClockOn(Calendar);

    /// <summary>Evaluates one case's targets as of <paramref name="now"/>.</summary>
    /// <param name="clock">The case's clock.</param>
    /// <param name="now">The instant to evaluate at, e.g. <c>clock.GetCurrentInstant()</c>; no instant of the clock may be after it.</param>
    /// <exception cref="ArgumentException">The clock is the default value, holds an instant after <paramref name="now"/>, or more paused business time than has passed since the opening.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="now"/> or a deadline is outside <see cref="BusinessCalendar.SupportedRange"/>.</exception>
    public SlaEvaluation Evaluate(in SlaClock clock, Instant now)
    {
        var at = Now(now);
        Check(clock, at, -1);
        return Evaluate(clock, at, Calendar.ElapsedAt(at, out _), -1);
    }

    /// <summary>
    /// Evaluates a whole queue as of <paramref name="now"/>: <c>results[i]</c> is the evaluation of <c>clocks[i]</c>.
    /// Allocates nothing once the calendar has cached the dates involved; use it for dashboards and breach sweeps over
    /// every open case.
    /// </summary>
    /// <param name="clocks">The cases' clocks.</param>
    /// <param name="results">Where the evaluations go; exactly as long as <paramref name="clocks"/>.</param>
    /// <param name="now">The instant to evaluate at; no instant of a clock may be after it.</param>
    /// <exception cref="ArgumentException">
    /// The spans differ in length, or a clock is the default value, holds an instant after <paramref name="now"/>, or
    /// more paused business time than has passed since its opening (the message gives its index). The instants of every
    /// clock are checked before any result is written; after the paused-time check fails the content of
    /// <paramref name="results"/> is unspecified.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="now"/> or a deadline is outside <see cref="BusinessCalendar.SupportedRange"/>.</exception>
    public void Evaluate(ReadOnlySpan<SlaClock> clocks, Span<SlaEvaluation> results, Instant now)
    {
        Preconditions.Check(results.Length == clocks.Length, $"The results span holds {results.Length} items for {clocks.Length} clocks.", nameof(results));
        var at = Now(now);
        for (var i = 0; i < clocks.Length; i++)
        {
            Check(clocks[i], at, i);
        }

        var elapsedNow = Calendar.ElapsedAt(at, out _);
        for (var i = 0; i < clocks.Length; i++)
        {
            results[i] = Evaluate(clocks[i], at, elapsedNow, i);
        }
    }

    // The least elapsed time that is at least percent% of the target: elapsed >= threshold exactly when elapsed * 100 >= target * percent.
    private static long Threshold(long target, int percent)
        => (long)(((target * (Int128)percent) + 99) / 100);

    private static string Which(int index) => index < 0 ? "The clock" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Clock {index}");

    private static long Now(Instant now)
        => BusinessCalendar.IsSupported(now)
            ? BusinessCalendar.ToNanos(now)
            : throw new ArgumentOutOfRangeException(nameof(now), now, $"SLA instants must be in {BusinessCalendar.SupportedRange}.");

    private static void Check(in SlaClock clock, long now, int index)
    {
        var parameter = index < 0 ? nameof(clock) : "clocks";
        if (!Enum.IsDefined(clock.Priority))
        {
            throw new ArgumentException($"{Which(index)} is the default value: build clocks with the SlaClock constructor or CreateClock.", parameter);
        }

        if (!(clock.OpenedNanos <= now && clock.FirstRespondedNanos <= now && clock.ResolvedNanos <= now && clock.PausedSinceNanos <= now))
        {
            throw new ArgumentException($"{Which(index)} holds an instant after now ({BusinessCalendar.FromNanos(now)}): evaluate as of an instant after everything recorded.", parameter);
        }
    }

    private SlaEvaluation Evaluate(in SlaClock clock, long now, long elapsedNow, int index)
    {
        _ = now;
        var calendar = Calendar;
        var priority = (int)clock.Priority;
        var opened = calendar.ElapsedAt(clock.OpenedNanos, out var hint);

        // First response: stops at the response, or at the resolution when there was none.
        var target = _firstResponse[priority];
        var stoppedAt = clock.FirstRespondedNanos != SlaClock.None ? clock.FirstRespondedNanos : clock.ResolvedNanos;
        var elapsed = (stoppedAt != SlaClock.None ? calendar.ElapsedAt(stoppedAt, out _) : elapsedNow) - opened;
        var due = calendar.InstantAt(opened + target, hint, nameof(clock));
        var state = elapsed > target ? SlaState.Breached
            : stoppedAt != SlaClock.None ? SlaState.Met
            : elapsed >= _firstResponseRisk[priority] ? SlaState.AtRisk
            : SlaState.Running;
        var firstResponse = new SlaTargetStatus(state, due, elapsed, target);

        // Resolution: stops at the resolution, pauses while waiting on the customer.
        target = _resolution[priority];
        var paused = clock.PausedNanos;
        if (clock.ResolvedNanos != SlaClock.None)
        {
            elapsed = calendar.ElapsedAt(clock.ResolvedNanos, out _) - opened - paused;
            due = calendar.InstantAt(opened + paused + target, hint, nameof(clock));
            state = elapsed > target ? SlaState.Breached : SlaState.Met;
        }
        else if (clock.PausedSinceNanos != SlaClock.None)
        {
            elapsed = calendar.ElapsedAt(clock.PausedSinceNanos, out _) - opened - paused;
            due = SlaClock.None;
            state = elapsed > target ? SlaState.Breached : SlaState.Paused;
        }
        else
        {
            elapsed = elapsedNow - opened - paused;
            due = calendar.InstantAt(opened + paused + target, hint, nameof(clock));
            state = elapsed > target ? SlaState.Breached : elapsed >= _resolutionRisk[priority] ? SlaState.AtRisk : SlaState.Running;
        }

        if (elapsed < 0)
        {
            throw new ArgumentException($"{Which(index)} holds more paused business time than has passed since the case was opened (was it counted on another calendar?).", index < 0 ? nameof(clock) : "clocks");
        }
        return new SlaEvaluation(firstResponse, new SlaTargetStatus(state, due, elapsed, target));
    }
}
