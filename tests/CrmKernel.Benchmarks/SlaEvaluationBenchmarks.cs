using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmKernel.Calendars;
using CrmKernel.Cases;
using NodaTime;

namespace CrmKernel.Benchmarks;

/// <summary>
/// A breach sweep over every open case of a large service desk: 1,000,000 open cases on a London office calendar
/// (09:00–17:00 on weekdays, the 2026 English bank holidays), opened uniformly over the 8 weeks before now (so the
/// clocks cross the spring DST change and Easter), random priorities, a third already answered, a fifth waiting on the
/// customer and a tenth with a completed pause behind them. <see cref="BulkEvaluate"/> runs
/// <see cref="SlaPolicy.Evaluate(ReadOnlySpan{SlaClock}, Span{SlaEvaluation}, Instant)"/> over all of them;
/// <see cref="NaiveDayWalk"/> is what a user would write without the kernel: per case, walk the days from opening to now
/// (and on to the deadline) intersecting each with the working hours. The naive side runs over the first 1% of the cases
/// (10,000); multiply its time by 100 for 1M. The setup checks that both sides give the same state, deadline and elapsed
/// business time for the first 2,000 cases before anything is timed. Goal: the bulk sweep of 1M within 1 s.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SlaEvaluationBenchmarks
{
    private const int Cases = 1_000_000;
    private const int NaiveCases = Cases / 100;

    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly LocalTime Nine = new(9, 0);
    private static readonly LocalTime Five = new(17, 0);
    private static readonly Instant Now = Instant.FromUtc(2026, 4, 15, 11, 30);

    private static readonly LocalDate[] BankHolidays =
    [
        new(2026, 1, 1), new(2026, 4, 3), new(2026, 4, 6), new(2026, 5, 4), new(2026, 5, 25), new(2026, 8, 31), new(2026, 12, 25), new(2026, 12, 28),
    ];

    private SlaPolicy _policy = null!;
    private SlaClock[] _clocks = null!;
    private SlaEvaluation[] _results = null!;
    private NaiveSla _naive = null!;

    [GlobalSetup]
    public void CreateQueue()
    {
        var calendar = new BusinessCalendar(London, WorkingHours.MondayToFriday(Nine, Five), BankHolidays);
        _policy = new SlaPolicy("standard", calendar, new Dictionary<CasePriority, SlaTargets>
        {
            [CasePriority.Low] = new(Duration.FromHours(16), Duration.FromHours(80)),
            [CasePriority.Normal] = new(Duration.FromHours(8), Duration.FromHours(40)),
            [CasePriority.High] = new(Duration.FromHours(4), Duration.FromHours(16)),
            [CasePriority.Urgent] = new(Duration.FromHours(1), Duration.FromHours(8)),
        });
        _naive = new NaiveSla(_policy, London, BankHolidays);

        var random = new Random(42);
        _clocks = new SlaClock[Cases];
        var span = Duration.FromDays(56).TotalSeconds;
        for (var i = 0; i < _clocks.Length; i++)
        {
            var opened = Now - Duration.FromSeconds(random.NextInt64((long)span));
            var priority = (CasePriority)random.Next(1, 5);
            var open = (Now - opened).TotalSeconds;
            Instant? responded = random.Next(3) == 0 ? opened + Duration.FromSeconds(random.NextInt64((long)Math.Min(open, 3 * 86_400) + 1)) : null;
            var roll = random.Next(10);
            _clocks[i] = roll switch
            {
                < 2 => _policy.CreateClock(priority, opened, responded, null, [], Later(opened, random)),
                < 3 => _policy.CreateClock(priority, opened, responded, null, [new Interval(opened, Later(opened, random))], null),
                _ => new SlaClock(priority, opened, responded, null, Duration.Zero, null),
            };
        }

        _results = new SlaEvaluation[Cases];
        _policy.Evaluate(_clocks, _results, Now);
        for (var i = 0; i < 2_000; i++)
        {
            var expected = _results[i];
            var naive = _naive.Evaluate(_clocks[i], Now);
            if (!naive.Matches(expected))
            {
                throw new InvalidOperationException($"Case {i}: the naive walk gives {naive}, the policy {expected}.");
            }
        }

        var breached = _results.Count(r => r.IsBreached);
        var atRisk = _results.Count(r => r.FirstResponse.State == SlaState.AtRisk || r.Resolution.State == SlaState.AtRisk);
        var paused = _results.Count(r => r.Resolution.State == SlaState.Paused);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// setup: {Cases:N0} cases, {breached:N0} breached, {atRisk:N0} at risk, {paused:N0} paused; the naive walk agrees on the first 2,000"));
    }

    /// <summary>Both targets of 1,000,000 cases in one call.</summary>
    [Benchmark]
    public int BulkEvaluate()
    {
        _policy.Evaluate(_clocks, _results, Now);
        return _results.Length;
    }

    /// <summary>The day walk over 10,000 cases (1% of the queue): multiply by 100 for the whole queue.</summary>
    [Benchmark]
    public int NaiveDayWalk()
    {
        var breached = 0;
        for (var i = 0; i < NaiveCases; i++)
        {
            breached += _naive.Evaluate(_clocks[i], Now).Breached ? 1 : 0;
        }

        return breached;
    }

    private static Instant Later(Instant opened, Random random)
        => opened + Duration.FromSeconds(random.NextInt64((long)(Now - opened).TotalSeconds + 1));

    /// <summary>
    /// The SLA rules written the obvious way: business time and deadlines by walking the days, working hours mapped with
    /// <c>AtLeniently</c> (09:00 and 17:00 are never in a London gap or overlap).
    /// </summary>
    private sealed class NaiveSla(SlaPolicy policy, DateTimeZone zone, IEnumerable<LocalDate> holidays)
    {
        private readonly HashSet<LocalDate> _holidays = [.. holidays];

        public NaiveResult Evaluate(SlaClock clock, Instant now)
        {
            var targets = policy.TargetsFor(clock.Priority);
            var stop = clock.FirstRespondedAt ?? clock.ResolvedAt;
            var firstElapsed = Between(clock.OpenedAt, stop ?? now);
            var firstDue = Add(clock.OpenedAt, targets.FirstResponse);
            var firstState = State(firstElapsed, targets.FirstResponse, stop is not null, paused: false);

            var end = clock.ResolvedAt ?? clock.PausedSince ?? now;
            var elapsed = Between(clock.OpenedAt, end) - clock.PausedBusinessTime;
            Instant? due = clock.PausedSince is null ? Add(clock.OpenedAt, targets.Resolution + clock.PausedBusinessTime) : null;
            var state = State(elapsed, targets.Resolution, clock.ResolvedAt is not null, clock.PausedSince is not null);
            return new NaiveResult(firstState, firstDue, firstElapsed, state, due, elapsed);
        }

        private SlaState State(Duration elapsed, Duration target, bool stopped, bool paused)
            => elapsed > target ? SlaState.Breached
                : stopped ? SlaState.Met
                : paused ? SlaState.Paused
                : elapsed * 100 >= target * policy.AtRiskPercent ? SlaState.AtRisk
                : SlaState.Running;

        private Duration Between(Instant a, Instant b)
        {
            var total = Duration.Zero;
            for (var date = a.InZone(zone).Date; date <= b.InZone(zone).Date; date = date.PlusDays(1))
            {
                if (!IsWorkingDay(date))
                {
                    continue;
                }

                var start = Max(zone.AtLeniently(date.At(Nine)).ToInstant(), a);
                var end = Min(zone.AtLeniently(date.At(Five)).ToInstant(), b);
                if (end > start)
                {
                    total += end - start;
                }
            }

            return total;
        }

        private Instant Add(Instant start, Duration businessTime)
        {
            var remaining = businessTime;
            for (var date = start.InZone(zone).Date; ; date = date.PlusDays(1))
            {
                if (!IsWorkingDay(date))
                {
                    continue;
                }

                var from = Max(zone.AtLeniently(date.At(Nine)).ToInstant(), start);
                var to = zone.AtLeniently(date.At(Five)).ToInstant();
                if (to <= from)
                {
                    continue;
                }

                if (remaining <= to - from)
                {
                    return from + remaining;
                }

                remaining -= to - from;
            }
        }

        private bool IsWorkingDay(LocalDate date)
            => date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !_holidays.Contains(date);

        private static Instant Max(Instant a, Instant b) => a > b ? a : b;

        private static Instant Min(Instant a, Instant b) => a < b ? a : b;
    }

    private sealed record NaiveResult(SlaState FirstState, Instant FirstDue, Duration FirstElapsed, SlaState State, Instant? Due, Duration Elapsed)
    {
        public bool Breached => FirstState == SlaState.Breached || State == SlaState.Breached;

        public bool Matches(SlaEvaluation evaluation)
            => evaluation.FirstResponse.State == FirstState && evaluation.FirstResponse.DueAt == FirstDue && evaluation.FirstResponse.Elapsed == FirstElapsed
               && evaluation.Resolution.State == State && evaluation.Resolution.DueAt == Due && evaluation.Resolution.Elapsed == Elapsed;
    }
}
