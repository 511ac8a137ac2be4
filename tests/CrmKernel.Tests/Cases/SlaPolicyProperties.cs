using CrmKernel.Cases;
using CrmKernel.Tests.Calendars;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Xunit;
using Interval = NodaTime.Interval;

namespace CrmKernel.Tests.Cases;

/// <summary>A generated case history on a generated calendar: what happened (<see cref="Kind"/>) at the calendar case's instants.</summary>
public sealed record SlaCase(CalendarCase Calendar, CasePriority Priority, int Kind, int AtRiskPercent, int Tightness)
{
    /// <summary>The instants in order: opened, a midpoint, the last event, now, and a later now.</summary>
    public (Instant Opened, Instant Middle, Instant Last, Instant Now, Instant Later) Instants
    {
        get
        {
            Instant[] all = [Calendar.A, Calendar.B, Calendar.C];
            Array.Sort(all);
            var middle = all[0] + ((all[1] - all[0]) / 2);
            return (all[0], middle, all[1], all[2], all[2] + Calendar.D2);
        }
    }

    /// <summary>
    /// The policy: targets from the generated durations, or, when <see cref="Tightness"/> is not zero, just above the
    /// business time that has passed by now (by 0 to 30 percent), so that at-risk and near-miss states come up.
    /// </summary>
    public SlaPolicy Policy => new("generated", Calendar.Calendar, Enum.GetValues<CasePriority>().ToDictionary(p => p, p => Tightness == 0
        ? new SlaTargets(Calendar.D1 + Duration.FromMinutes(15 * (int)p), Calendar.D2 + Duration.FromHours((int)p))
        : new SlaTargets(Tight(), Tight())), AtRiskPercent);

    private Duration Tight()
    {
        var passed = Calendar.Calendar.BusinessTimeBetween(Instants.Opened, Instants.Now);
        return passed * Tightness / 100 + Duration.FromSeconds(1);
    }

    public SlaClock Clock
    {
        get
        {
            var (o, m, x, _, _) = Instants;
            return Kind switch
            {
                0 => Policy.CreateClock(Priority, o, null, null, [], null),
                1 => Policy.CreateClock(Priority, o, x, null, [], null),
                2 => Policy.CreateClock(Priority, o, m, x, [], null),
                3 => Policy.CreateClock(Priority, o, null, x, [], null),
                4 => Policy.CreateClock(Priority, o, m, null, [], x),
                5 => Policy.CreateClock(Priority, o, m, null, [new Interval(m, x)], null),
                _ => Policy.CreateClock(Priority, o, null, x, [new Interval(o, m)], null),
            };
        }
    }

    public override string ToString() => $"{Calendar} priority={Priority} kind={Kind} atRisk={AtRiskPercent} tightness={Tightness}";
}

public static class SlaArbitraries
{
    public static readonly Gen<SlaCase> Case =
        from calendar in CalendarArbitraries.Case
        from priority in Gen.Elements(Enum.GetValues<CasePriority>())
        from kind in Gen.Choose(0, 6)
        from risk in Gen.Frequency((3, Gen.Constant(80)), (1, Gen.Choose(1, 100)))
        from tightness in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(100, 130)))
        select new SlaCase(calendar, priority, kind, risk, tightness);

    public static Arbitrary<SlaCase> Sla() => Case.ToArbitrary();
}

/// <summary>
/// Evaluations against the day-by-day reference walk and the stated rules: the first-response clock never pauses,
/// the resolution clock leaves out paused business time, Met iff the clock stopped within the target, Breached iff more
/// than the target elapsed (and then for good), at risk from the share on, no due instant while paused.
/// </summary>
public sealed class SlaPolicyProperties
{
    [Property(Arbitrary = new[] { typeof(SlaArbitraries) }, MaxTest = 300)]
    public void Evaluation_AgreesWithTheReferenceAndTheRules(SlaCase c)
    {
        var policy = c.Policy;
        var calendar = policy.Calendar;
        var clock = c.Clock;
        var (opened, _, _, now, later) = c.Instants;
        var targets = policy.TargetsFor(c.Priority);
        var evaluation = policy.Evaluate(clock, now);

        // First response: never pauses; stops at the response, or the resolution when there was none.
        var stop = clock.FirstRespondedAt ?? clock.ResolvedAt;
        var first = evaluation.FirstResponse;
        Assert.Equal(ReferenceCalendar.Between(calendar, opened, stop ?? now), first.Elapsed);
        Assert.Equal(ReferenceCalendar.Add(calendar, opened, targets.FirstResponse), first.DueAt);
        CheckState(first, stopped: stop is not null, paused: false, targets.FirstResponse, c.AtRiskPercent);
        if (stop is { } s)
        {
            Assert.Equal(s <= first.DueAt!.Value || ReferenceCalendar.Between(calendar, first.DueAt!.Value, s) == Duration.Zero, first.State == SlaState.Met);
        }

        // Resolution: pauses left out.
        var resolution = evaluation.Resolution;
        var end = clock.ResolvedAt ?? clock.PausedSince ?? now;
        Assert.Equal(ReferenceCalendar.Between(calendar, opened, end) - clock.PausedBusinessTime, resolution.Elapsed);
        Assert.Equal(clock.PausedSince is null, resolution.DueAt is not null);
        if (resolution.DueAt is { } due)
        {
            Assert.Equal(ReferenceCalendar.Add(calendar, opened, targets.Resolution + clock.PausedBusinessTime), due);
            Assert.Equal(now > due && ReferenceCalendar.Between(calendar, due, end) > Duration.Zero, resolution.State == SlaState.Breached);
        }

        CheckState(resolution, stopped: clock.ResolvedAt is not null, paused: clock.PausedSince is not null, targets.Resolution, c.AtRiskPercent);

        // A breach is permanent, and the bulk path gives the same answers.
        var afterwards = policy.Evaluate(clock, later);
        Assert.True(first.State != SlaState.Breached || afterwards.FirstResponse.State == SlaState.Breached);
        Assert.True(resolution.State != SlaState.Breached || afterwards.Resolution.State == SlaState.Breached);
        Assert.True(first.State != SlaState.Met || afterwards.FirstResponse == first);
        var results = new SlaEvaluation[2];
        policy.Evaluate([clock, clock], results, now);
        Assert.Equal([evaluation, evaluation], results);
    }

    [Fact]
    public void Generator_ReachesEveryState()
    {
        var states = SlaArbitraries.Case.Sample(800, 800)
            .Select(c => c.Policy.Evaluate(c.Clock, c.Instants.Now))
            .SelectMany(e => new[] { e.FirstResponse.State, e.Resolution.State })
            .ToHashSet();
        Assert.Equal(Enum.GetValues<SlaState>().ToHashSet(), states);
    }

    private static void CheckState(SlaTargetStatus status, bool stopped, bool paused, Duration target, int atRiskPercent)
    {
        Assert.Equal(target, status.Target);
        Assert.Equal(target - status.Elapsed, status.Remaining);
        Assert.True(status.Elapsed >= Duration.Zero);
        Assert.Equal(status.Elapsed > target, status.State == SlaState.Breached);
        Assert.Equal(status.Remaining < Duration.Zero, status.State == SlaState.Breached);
        var expected = status.Elapsed > target ? SlaState.Breached
            : stopped ? SlaState.Met
            : paused ? SlaState.Paused
            : (Int128)status.Elapsed.ToInt64Nanoseconds() * 100 >= (Int128)target.ToInt64Nanoseconds() * atRiskPercent ? SlaState.AtRisk
            : SlaState.Running;
        Assert.Equal(expected, status.State);
    }
}
