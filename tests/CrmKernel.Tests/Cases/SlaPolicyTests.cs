using CrmKernel.Calendars;
using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Tests.Calendars;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Cases;

/// <summary>Hand-computed SLA evaluations on a London office calendar, and every refused input.</summary>
public sealed class SlaPolicyTests
{
    // Monday 2026-03-30 is a holiday; Friday the 27th is GMT (09:00-17:00 = 09:00Z-17:00Z), the next week BST (08:00Z-16:00Z).
    private static readonly BusinessCalendar Office = BusinessCalendarTests.Office(BusinessCalendarTests.London, new LocalDate(2026, 3, 30));
    private static readonly Instant Opened = Utc(2026, 3, 27, 15);

    internal static SlaPolicy Standard(BusinessCalendar calendar, int atRiskPercent = 80) => new("standard", calendar, new Dictionary<CasePriority, SlaTargets>
    {
        [CasePriority.Low] = new(Duration.FromHours(8), Duration.FromHours(40)),
        [CasePriority.Normal] = new(Duration.FromHours(4), Duration.FromHours(16)),
        [CasePriority.High] = new(Duration.FromHours(2), Duration.FromHours(8)),
        [CasePriority.Urgent] = new(Duration.FromHours(1), Duration.FromHours(4)),
    }, atRiskPercent);

    private static Instant Utc(int year, int month, int day, int hour, int minute = 0, int second = 0) => Instant.FromUtc(year, month, day, hour, minute, second);

    private static SlaClock Open(Instant? responded = null, Instant? resolved = null, Duration paused = default, Instant? pausedSince = null, CasePriority priority = CasePriority.Normal)
        => new(priority, Opened, responded, resolved, paused, pausedSince);

    [Fact]
    public void OpenCase_AcrossWeekendDstAndHoliday_IsAtRiskThenBreached()
    {
        var policy = Standard(Office);

        var early = policy.Evaluate(Open(), Utc(2026, 3, 31, 9, 30));
        Assert.Equal(SlaState.AtRisk, early.FirstResponse.State);
        Assert.Equal(Utc(2026, 3, 31, 10), early.FirstResponse.DueAt);
        Assert.Equal(Duration.FromMinutes(210), early.FirstResponse.Elapsed);
        Assert.Equal(Duration.FromMinutes(30), early.FirstResponse.Remaining);
        Assert.Equal(Duration.FromHours(4), early.FirstResponse.Target);
        Assert.Equal(SlaState.Running, early.Resolution.State);
        Assert.Equal(Utc(2026, 4, 1, 14), early.Resolution.DueAt);
        Assert.Equal(Duration.FromMinutes(750), early.Resolution.Remaining);
        Assert.False(early.IsBreached);

        var atDue = policy.Evaluate(Open(), Utc(2026, 3, 31, 10));
        Assert.Equal(SlaState.AtRisk, atDue.FirstResponse.State);
        Assert.Equal(Duration.Zero, atDue.FirstResponse.Remaining);

        var late = policy.Evaluate(Open(), Utc(2026, 3, 31, 10, 0, 1));
        Assert.Equal(SlaState.Breached, late.FirstResponse.State);
        Assert.Equal(-Duration.FromSeconds(1), late.FirstResponse.Remaining);
        Assert.True(late.IsBreached);
    }

    [Fact]
    public void AReplyAfterTheDueInstantButBeforeMoreBusinessTime_IsOnTime()
    {
        var policy = Standard(Office);
        var clockOpened = Utc(2026, 3, 27, 13);

        // Due Friday 17:00Z. A Saturday reply used exactly the 4 hours; the first second of Tuesday's work is one too many.
        var saturday = policy.Evaluate(new SlaClock(CasePriority.Normal, clockOpened, Utc(2026, 3, 28, 10), null, Duration.Zero, null), Utc(2026, 3, 28, 11));
        Assert.Equal(SlaState.Met, saturday.FirstResponse.State);
        Assert.Equal(Utc(2026, 3, 27, 17), saturday.FirstResponse.DueAt);
        Assert.Equal(Duration.Zero, saturday.FirstResponse.Remaining);
        var openOnSunday = policy.Evaluate(new SlaClock(CasePriority.Normal, clockOpened, null, null, Duration.Zero, null), Utc(2026, 3, 29, 11));
        Assert.Equal(SlaState.AtRisk, openOnSunday.FirstResponse.State);

        var tuesday = policy.Evaluate(new SlaClock(CasePriority.Normal, clockOpened, Utc(2026, 3, 31, 8, 0, 1), null, Duration.Zero, null), Utc(2026, 3, 31, 12));
        Assert.Equal(SlaState.Breached, tuesday.FirstResponse.State);
        Assert.Equal(-Duration.FromSeconds(1), tuesday.FirstResponse.Remaining);
    }

    [Fact]
    public void WaitingOnTheCustomer_PausesTheResolutionClockOnly()
    {
        var policy = Standard(Office);

        var paused = policy.Evaluate(Open(responded: Utc(2026, 3, 27, 15, 30), pausedSince: Utc(2026, 3, 31, 9)), Utc(2026, 4, 1, 12));
        Assert.Equal(SlaState.Met, paused.FirstResponse.State);
        Assert.Equal(Duration.FromMinutes(30), paused.FirstResponse.Elapsed);
        Assert.Equal(SlaState.Paused, paused.Resolution.State);
        Assert.Null(paused.Resolution.DueAt);
        Assert.Equal(Duration.FromHours(3), paused.Resolution.Elapsed);
        Assert.Equal(Duration.FromHours(13), paused.Resolution.Remaining);

        // The pause ended Wednesday 09:00Z: Tuesday 09:00-16:00Z and Wednesday 08:00-09:00Z, 8 business hours, do not count.
        var resumed = policy.CreateClock(CasePriority.Normal, Opened, Utc(2026, 3, 27, 15, 30), null, [new Interval(Utc(2026, 3, 31, 9), Utc(2026, 4, 1, 9))], null);
        Assert.Equal(Duration.FromHours(8), resumed.PausedBusinessTime);
        var running = policy.Evaluate(resumed, Utc(2026, 4, 1, 12));
        Assert.Equal(SlaState.Running, running.Resolution.State);
        Assert.Equal(Duration.FromHours(6), running.Resolution.Elapsed);
        Assert.Equal(Utc(2026, 4, 2, 14), running.Resolution.DueAt);

        var resolved = policy.Evaluate(policy.CreateClock(CasePriority.Normal, Opened, Utc(2026, 3, 27, 15, 30), Utc(2026, 4, 1, 12), [new Interval(Utc(2026, 3, 31, 9), Utc(2026, 4, 1, 9))], null), Utc(2026, 4, 3, 12));
        Assert.Equal(SlaState.Met, resolved.Resolution.State);
        Assert.Equal(Duration.FromHours(6), resolved.Resolution.Elapsed);
        Assert.Equal(Utc(2026, 4, 2, 14), resolved.Resolution.DueAt);
    }

    [Fact]
    public void ABreachIsPermanent_AndAResolutionWithoutAResponseCountsAsTheResponse()
    {
        var policy = Standard(Office);
        var monday = Utc(2026, 1, 5, 9);

        // Urgent: 4 business hours to resolve; 5 had passed when the case started waiting on the customer.
        var breached = policy.Evaluate(new SlaClock(CasePriority.Urgent, monday, monday + Duration.FromMinutes(10), null, Duration.Zero, Utc(2026, 1, 5, 14)), Utc(2026, 1, 9, 12));
        Assert.Equal(SlaState.Breached, breached.Resolution.State);
        Assert.Null(breached.Resolution.DueAt);
        Assert.Equal(-Duration.FromHours(1), breached.Resolution.Remaining);
        var resolvedLate = policy.Evaluate(new SlaClock(CasePriority.Urgent, monday, monday, Utc(2026, 1, 6, 9), Duration.Zero, null), Utc(2026, 1, 9, 12));
        Assert.Equal(SlaState.Breached, resolvedLate.Resolution.State);
        Assert.Equal(SlaState.Met, resolvedLate.FirstResponse.State);

        var quick = policy.Evaluate(Open(resolved: Utc(2026, 3, 27, 16)), Utc(2026, 4, 10, 9));
        Assert.Equal(SlaState.Met, quick.FirstResponse.State);
        Assert.Equal(Duration.FromHours(1), quick.FirstResponse.Elapsed);
        Assert.Equal(SlaState.Met, quick.Resolution.State);
    }

    [Fact]
    public void PrioritiesAndTheAtRiskShare_SetTheThresholds()
    {
        var strict = Standard(Office, atRiskPercent: 25);
        var lenient = Standard(Office, atRiskPercent: 100);
        var now = Utc(2026, 3, 27, 16);

        Assert.Equal(SlaState.AtRisk, strict.Evaluate(Open(), now).FirstResponse.State);
        Assert.Equal(SlaState.Running, lenient.Evaluate(Open(), now).FirstResponse.State);
        Assert.Equal(SlaState.Breached, lenient.Evaluate(Open(priority: CasePriority.Urgent), Utc(2026, 3, 31, 9)).FirstResponse.State);
        Assert.Equal(SlaState.AtRisk, lenient.Evaluate(Open(priority: CasePriority.High), Utc(2026, 3, 27, 17)).FirstResponse.State);
        Assert.Equal(Duration.FromHours(8), strict.TargetsFor(CasePriority.Low).FirstResponse);
        Assert.Equal(4, strict.Targets.Count);
        Assert.Equal("standard", strict.Name);
        Assert.Equal(25, strict.AtRiskPercent);
        Assert.Same(Office, strict.Calendar);
    }

    [Fact]
    public void BulkEvaluation_EqualsOneByOne()
    {
        var policy = Standard(Office);
        var now = Utc(2026, 4, 2, 12);
        SlaClock[] clocks =
        [
            Open(), Open(responded: Utc(2026, 3, 27, 15, 30)), Open(pausedSince: Utc(2026, 3, 31, 9)),
            Open(resolved: Utc(2026, 4, 1, 9)), Open(priority: CasePriority.Urgent), Open(paused: Duration.FromHours(1), priority: CasePriority.Low),
        ];
        var results = new SlaEvaluation[clocks.Length];

        policy.Evaluate(clocks, results, now);

        Assert.Equal(clocks.Select(c => policy.Evaluate(c, now)), results);
    }

    [Fact]
    public void Targets_AndPolicy_RefuseBadInput()
    {
        Assert.Equal("firstResponse", Assert.Throws<ArgumentOutOfRangeException>(() => new SlaTargets(Duration.Zero, Duration.FromHours(1))).ParamName);
        Assert.Equal("resolution", Assert.Throws<ArgumentOutOfRangeException>(() => new SlaTargets(Duration.FromHours(1), -Duration.FromHours(1))).ParamName);
        Assert.Equal("resolution", Assert.Throws<ArgumentOutOfRangeException>(() => new SlaTargets(Duration.FromHours(1), Duration.FromDays(36_526))).ParamName);

        var targets = Standard(Office).Targets;
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new SlaPolicy(null!, Office, targets)).ParamName);
        Assert.Equal("calendar", Assert.Throws<ArgumentNullException>(() => new SlaPolicy("p", null!, targets)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentNullException>(() => new SlaPolicy("p", Office, null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new SlaPolicy("not ok!", Office, targets)).ParamName);
        Assert.Equal("premium-24x7", new SlaPolicy(" Premium 24x7 ", Office, targets).Name);
        var missing = targets.Where(t => t.Key != CasePriority.High).ToDictionary();
        Assert.Contains("High", Assert.Throws<ArgumentException>(() => new SlaPolicy("p", Office, missing)).Message, StringComparison.Ordinal);
        var undefined = targets.ToDictionary();
        undefined[(CasePriority)9] = targets[CasePriority.Low];
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => new SlaPolicy("p", Office, undefined)).ParamName);
        var withNull = targets.ToDictionary();
        withNull[CasePriority.Low] = null!;
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => new SlaPolicy("p", Office, withNull)).ParamName);
        Assert.Equal("atRiskPercent", Assert.Throws<ArgumentOutOfRangeException>(() => new SlaPolicy("p", Office, targets, 0)).ParamName);
        Assert.Equal("atRiskPercent", Assert.Throws<ArgumentOutOfRangeException>(() => new SlaPolicy("p", Office, targets, 101)).ParamName);
        Assert.Equal("priority", Assert.ThrowsAny<ArgumentException>(() => Standard(Office).TargetsFor((CasePriority)0)).ParamName);
    }

    [Fact]
    public void Clock_RefusesInstantsOutOfOrder()
    {
        var later = Opened + Duration.FromHours(1);
        var earlier = Opened - Duration.FromHours(1);

        Assert.Equal("priority", Assert.ThrowsAny<ArgumentException>(() => new SlaClock((CasePriority)0, Opened, null, null, Duration.Zero, null)).ParamName);
        Assert.Equal("firstRespondedAt", Assert.Throws<ArgumentException>(() => new SlaClock(CasePriority.Low, Opened, earlier, null, Duration.Zero, null)).ParamName);
        Assert.Equal("resolvedAt", Assert.Throws<ArgumentException>(() => new SlaClock(CasePriority.Low, Opened, null, earlier, Duration.Zero, null)).ParamName);
        Assert.Equal("firstRespondedAt", Assert.Throws<ArgumentException>(() => new SlaClock(CasePriority.Low, Opened, later, Opened, Duration.Zero, null)).ParamName);
        Assert.Equal("pausedSince", Assert.Throws<ArgumentException>(() => new SlaClock(CasePriority.Low, Opened, null, null, Duration.Zero, earlier)).ParamName);
        Assert.Equal("pausedSince", Assert.Throws<ArgumentException>(() => new SlaClock(CasePriority.Low, Opened, null, later, Duration.Zero, later)).ParamName);
        Assert.Equal("pausedBusinessTime", Assert.Throws<ArgumentOutOfRangeException>(() => new SlaClock(CasePriority.Low, Opened, null, null, -Duration.Epsilon, null)).ParamName);
        Assert.Equal("openedAt", Assert.Throws<ArgumentOutOfRangeException>(() => new SlaClock(CasePriority.Low, BusinessCalendar.SupportedRange.End, null, null, Duration.Zero, null)).ParamName);

        var clock = new SlaClock(CasePriority.High, Opened, later, null, Duration.FromMinutes(5), null);
        Assert.Equal((CasePriority.High, Opened, (Instant?)later, (Instant?)null, Duration.FromMinutes(5), (Instant?)null), (clock.Priority, clock.OpenedAt, clock.FirstRespondedAt, clock.ResolvedAt, clock.PausedBusinessTime, clock.PausedSince));
        Assert.Equal(clock, new SlaClock(CasePriority.High, Opened, later, null, Duration.FromMinutes(5), null));
        Assert.NotEqual(clock, default);
    }

    [Fact]
    public void CreateClock_RefusesPausesOutOfOrder()
    {
        var policy = Standard(Office);
        Interval Pause(int fromHour, int toHour) => new(Opened + Duration.FromHours(fromHour), Opened + Duration.FromHours(toHour));

        Assert.Equal("completedPauses", Assert.Throws<ArgumentNullException>(() => policy.CreateClock(CasePriority.Low, Opened, null, null, null!, null)).ParamName);
        Assert.Equal("completedPauses", Assert.Throws<ArgumentException>(() => policy.CreateClock(CasePriority.Low, Opened, null, null, [Pause(-1, 2)], null)).ParamName);
        Assert.Equal("completedPauses", Assert.Throws<ArgumentException>(() => policy.CreateClock(CasePriority.Low, Opened, null, null, [Pause(1, 3), Pause(2, 4)], null)).ParamName);
        Assert.Equal("completedPauses", Assert.Throws<ArgumentException>(() => policy.CreateClock(CasePriority.Low, Opened, null, null, [Pause(3, 4), Pause(1, 2)], null)).ParamName);
        Assert.Equal("completedPauses", Assert.Throws<ArgumentException>(() => policy.CreateClock(CasePriority.Low, Opened, null, Opened + Duration.FromHours(3), [Pause(1, 4)], null)).ParamName);
        Assert.Equal("completedPauses", Assert.Throws<ArgumentException>(() => policy.CreateClock(CasePriority.Low, Opened, null, null, [Pause(1, 4)], Opened + Duration.FromHours(3))).ParamName);
        Assert.Equal("completedPauses", Assert.Throws<ArgumentException>(() => policy.CreateClock(CasePriority.Low, Opened, null, null, [new Interval(Opened, null)], null)).ParamName);
        var limit = Assert.Throws<InputLimitExceededException>(() => policy.CreateClock(CasePriority.Low, Opened, null, null, Enumerable.Range(0, SlaPolicy.MaxPauses + 1).Select(i => Pause(i, i)), null));
        Assert.Equal("completedPauses", limit.ParamName);
        var touching = policy.CreateClock(CasePriority.Low, Opened, null, null, [Pause(0, 1), Pause(1, 2)], Opened + Duration.FromHours(2));
        Assert.Equal(Duration.FromHours(2), touching.PausedBusinessTime);
    }

    [Fact]
    public void Evaluate_RefusesClocksAheadOfNow_DefaultClocks_AndMismatchedSpans()
    {
        var policy = Standard(Office);
        var now = Utc(2026, 3, 31, 9);

        Assert.Equal("clock", Assert.Throws<ArgumentException>(() => policy.Evaluate(default(SlaClock), now)).ParamName);
        Assert.Equal("clock", Assert.Throws<ArgumentException>(() => policy.Evaluate(Open(responded: now + Duration.Epsilon), now)).ParamName);
        Assert.Equal("clock", Assert.Throws<ArgumentException>(() => policy.Evaluate(Open(paused: Duration.FromHours(5)), now)).ParamName);
        Assert.Equal("now", Assert.Throws<ArgumentOutOfRangeException>(() => policy.Evaluate(Open(), BusinessCalendar.SupportedRange.End)).ParamName);

        var results = new SlaEvaluation[2];
        Assert.Equal("results", Assert.Throws<ArgumentException>(() => policy.Evaluate([Open()], results, now)).ParamName);
        var ahead = Assert.Throws<ArgumentException>(() => policy.Evaluate([Open(), Open(resolved: now + Duration.FromHours(1))], results, now));
        Assert.Equal("clocks", ahead.ParamName);
        Assert.Contains("Clock 1", ahead.Message, StringComparison.Ordinal);
        Assert.All(results, r => Assert.Equal(default, r));
    }
}
