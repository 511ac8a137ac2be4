using CrmKernel.Calendars;
using CrmKernel.Cases;
using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Services.Cases;
using CrmKernel.Services.Customers;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage.InMemory;
using CrmKernel.Tests.Calendars;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace CrmKernel.Tests.Cases;

/// <summary>
/// A case's SLA through its history and the case service, pinned on hand-computed examples: London office hours
/// 09:00-17:00 Monday to Friday; the case is opened on Friday 2026-03-27 at 16:00 (GMT, 16:00Z); the clocks go forward
/// on Sunday the 29th, so Monday 09:00 is 08:00Z. Normal priority: first response within 1 h 30 min, resolution within 16 h.
/// </summary>
public sealed class CaseSlaTests
{
    private static readonly BusinessCalendar Office = BusinessCalendarTests.Office(BusinessCalendarTests.London);
    private static readonly SlaPolicy Desk = new("desk", Office, new Dictionary<CasePriority, SlaTargets>
    {
        [CasePriority.Low] = new(Duration.FromHours(8), Duration.FromHours(40)),
        [CasePriority.Normal] = new(Duration.FromMinutes(90), Duration.FromHours(16)),
        [CasePriority.High] = new(Duration.FromHours(1), Duration.FromHours(8)),
        [CasePriority.Urgent] = new(Duration.FromMinutes(30), Duration.FromHours(4)),
    });

    private static readonly SlaPolicy AllDay = new("all-day", BusinessCalendarTests.AllDay(BusinessCalendarTests.London), Desk.Targets);
    private static readonly Instant Friday1600 = Instant.FromUtc(2026, 3, 27, 16, 0);
    private static readonly TenantId Tenant = new("case-sla");

    private static Instant Utc(int day, int hour, int minute = 0) => Instant.FromUtc(2026, day < 20 ? 4 : 3, day, hour, minute);

    private static ServiceCase Opened(string? policy = "desk", CasePriority priority = CasePriority.Normal)
    {
        var serviceCase = ServiceCase.Open(Tenant, CaseId.New(), CustomerId.New(), "Router down", "network", priority, null, false, policy, Friday1600, "agent");
        serviceCase.MarkCommitted(1);
        return serviceCase;
    }

    [Fact]
    public void OpenedFridayAt1600_FirstResponseIsDueMondayAt0930_ResolutionTuesdayAt1600()
    {
        var serviceCase = Opened();
        var clock = Desk.CreateClock(serviceCase);
        Assert.Equal(new SlaClock(CasePriority.Normal, Friday1600, null, null, Duration.Zero, null), clock);

        var monday0900 = Desk.Evaluate(clock, Utc(30, 8));
        Assert.Equal(SlaState.Running, monday0900.FirstResponse.State);
        Assert.Equal(Utc(30, 8, 30), monday0900.FirstResponse.DueAt);             // Monday 09:30 BST: 1 h on Friday, 30 min on Monday
        Assert.Equal(Duration.FromMinutes(30), monday0900.FirstResponse.Remaining);
        Assert.Equal(Utc(31, 15), monday0900.Resolution.DueAt);                    // Tuesday 16:00 BST: 1 h + 8 h + 7 h
        Assert.Equal(Duration.FromHours(15), monday0900.Resolution.Remaining);

        Assert.Equal(SlaState.AtRisk, Desk.Evaluate(clock, Utc(30, 8, 12)).FirstResponse.State);   // 72 of 90 minutes = 80 %
        var late = Desk.Evaluate(clock, Utc(30, 8, 31));
        Assert.Equal(SlaState.Breached, late.FirstResponse.State);
        Assert.Equal(-Duration.FromMinutes(1), late.FirstResponse.Remaining);

        // The weekend does not count, so the first response is not breached on Saturday.
        Assert.Equal(SlaState.Running, Desk.Evaluate(clock, Instant.FromUtc(2026, 3, 28, 12, 0)).FirstResponse.State);
    }

    [Fact]
    public void WaitingOnTheCustomer_PausesTheResolutionClock_OnBusinessTimeOnly()
    {
        var serviceCase = Opened();
        serviceCase.Start(Friday1600 + Duration.FromMinutes(5), "agent", "picked up");
        serviceCase.RecordResponse(Friday1600 + Duration.FromMinutes(10));
        serviceCase.WaitOnCustomer(Friday1600 + Duration.FromMinutes(30), "agent", "asked for the serial number");

        var saturday = Desk.Evaluate(Desk.CreateClock(serviceCase), Instant.FromUtc(2026, 3, 28, 12, 0));
        Assert.Equal(SlaState.Met, saturday.FirstResponse.State);
        Assert.Equal(Duration.FromMinutes(10), saturday.FirstResponse.Elapsed);
        Assert.Equal(SlaState.Paused, saturday.Resolution.State);
        Assert.Null(saturday.Resolution.DueAt);
        Assert.Equal(Duration.FromMinutes(30), saturday.Resolution.Elapsed);

        serviceCase.Resume(Utc(30, 9), "agent", "serial number received");          // Monday 10:00 BST
        var clock = Desk.CreateClock(serviceCase);
        Assert.Equal(Duration.FromMinutes(90), clock.PausedBusinessTime);           // Friday 16:30-17:00 and Monday 09:00-10:00
        var monday1100 = Desk.Evaluate(clock, Utc(30, 10));
        Assert.Equal(SlaState.Running, monday1100.Resolution.State);
        Assert.Equal(Duration.FromMinutes(90), monday1100.Resolution.Elapsed);       // 3 h since the opening, less the pause
        Assert.Equal(Utc(1, 8, 30), monday1100.Resolution.DueAt);                    // 17 h 30 min of business time on: Wednesday 09:30 BST
    }

    [Fact]
    public void AReopenedCase_RunsOnFromWhereItStopped_TheResolvedStretchLeftOut()
    {
        var serviceCase = Opened();
        serviceCase.Start(Friday1600 + Duration.FromMinutes(5), "agent", "picked up");
        serviceCase.Resolve(Utc(30, 8, 15), "agent", "rebooted", null);             // Monday 09:15 BST, no response before
        var resolved = Desk.Evaluate(Desk.CreateClock(serviceCase), Utc(30, 12));
        Assert.Equal(SlaState.Met, resolved.FirstResponse.State);                    // the resolution counts as the first response
        Assert.Equal(Duration.FromMinutes(75), resolved.FirstResponse.Elapsed);
        Assert.Equal(SlaState.Met, resolved.Resolution.State);
        Assert.Equal(Duration.FromMinutes(75), resolved.Resolution.Elapsed);

        serviceCase.Reopen(Duration.FromDays(7), Utc(1, 8), "customer", "down again"); // Wednesday 09:00 BST
        var clock = Desk.CreateClock(serviceCase);
        Assert.Null(clock.ResolvedAt);
        Assert.Equal(Utc(30, 8, 15), clock.FirstRespondedAt);
        Assert.Equal(Duration.FromMinutes((7 * 60) + 45 + (8 * 60)), clock.PausedBusinessTime);   // Monday 09:15-17:00, Tuesday

        var wednesday1200 = Desk.Evaluate(clock, Utc(1, 11));
        Assert.Equal(SlaState.Met, wednesday1200.FirstResponse.State);
        Assert.Equal(SlaState.Running, wednesday1200.Resolution.State);
        Assert.Equal(Duration.FromMinutes(75 + 180), wednesday1200.Resolution.Elapsed);           // before the resolution, and since the reopen
        Assert.Equal(Utc(2, 14, 45), wednesday1200.Resolution.DueAt);                              // 31 h 45 min of business time on: Thursday 15:45 BST

        serviceCase.Resolve(Utc(1, 12), "agent", "replaced the router", null);
        var again = Desk.Evaluate(Desk.CreateClock(serviceCase), Utc(1, 13));
        Assert.Equal(SlaState.Met, again.Resolution.State);
        Assert.Equal(Duration.FromMinutes(75 + 240), again.Resolution.Elapsed);
        serviceCase.Close(Utc(1, 14), "agent", "done");
        Assert.Equal(again, Desk.Evaluate(Desk.CreateClock(serviceCase), Utc(1, 13)));              // closing stops nothing more
    }

    [Fact]
    public void AMergedDuplicate_StopsItsClocksAtTheMerge_AndRaisedPriorityAppliesTighterTargets()
    {
        var survivor = Opened();
        var duplicate = ServiceCase.Open(Tenant, CaseId.New(), survivor.CustomerId, "Router down again", "network", CasePriority.Normal, null, false, "desk", Friday1600, "agent");
        ServiceCase.Merge(duplicate, survivor, Utc(30, 8), "agent", "same router");
        Assert.Equal(Utc(30, 8), Desk.CreateClock(duplicate).ResolvedAt);

        survivor.Escalate(Utc(30, 8), "lead", "angry customer", CasePriority.High);
        var high = Desk.Evaluate(Desk.CreateClock(survivor), Utc(30, 8));
        Assert.Equal(SlaState.AtRisk, high.FirstResponse.State);                     // 1 h used of the High target of 1 h
        Assert.Equal(Duration.FromHours(1), high.FirstResponse.Target);
        Assert.Equal(Duration.FromHours(1), AllDay.Evaluate(AllDay.CreateClock(survivor), Friday1600 + Duration.FromHours(1)).FirstResponse.Elapsed);
        Assert.Throws<ArgumentNullException>(() => Desk.CreateClock((ServiceCase)null!));
    }

    [Fact]
    public void CreateClock_OfAStoredCase_AllocatesNothing()
    {
        var serviceCase = Opened();
        serviceCase.Start(Friday1600, "agent", "picked up");
        serviceCase.WaitOnCustomer(Friday1600 + Duration.FromMinutes(30), "agent", "asked");
        serviceCase.Resume(Utc(30, 9), "agent", "answered");
        var clock = Desk.CreateClock(serviceCase);
        var least = long.MaxValue;
        for (var attempt = 0; attempt < 5 && least > 0; attempt++)
        {
            // The least of a few measurements: the runtime itself may allocate on the thread now and then (tiering).
            var before = GC.GetAllocatedBytesForCurrentThread();
            clock = Desk.CreateClock(serviceCase);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
        Assert.Equal(Duration.FromMinutes(90), clock.PausedBusinessTime);
    }

    [Fact]
    public async Task Service_RefusesAnUnknownPolicy_EvaluatesAtItsClock_AndNoPolicyHasNoSla()
    {
        var clock = new FakeClock(Friday1600);
        var (service, customer, stores) = await ServiceAsync(clock, new CaseServiceOptions { SlaPolicies = [Desk, AllDay] });
        Assert.Equal(["all-day", "desk"], service.SlaPolicies.Keys.Order());

        var refused = await Assert.ThrowsAsync<CaseRuleException>(async () => await service.OpenAsync(Tenant, customer, "Router down", "network", CasePriority.Normal, "agent", slaPolicy: "gold"));
        Assert.Equal(CrmErrorCodes.CaseSlaPolicyUnknown, refused.ErrorCode);
        Assert.Equal(CrmErrorCodes.CaseSlaPolicyUnknown, (await Assert.ThrowsAsync<CaseRuleException>(async () => await service.OpenFromTouchpointAsync(Tenant, customer, TouchpointId.New(), "Router down", "network", CasePriority.Normal, "agent", slaPolicy: "gold"))).ErrorCode);
        Assert.Empty(await service.StreamAsync(Tenant).ToListAsync());

        var desk = await service.OpenAsync(Tenant, customer, "Router down", "network", CasePriority.Normal, "agent", slaPolicy: " Desk ");
        var none = await service.OpenAsync(Tenant, customer, "Question", "general", CasePriority.Normal, "agent");
        clock.Reset(Utc(30, 8));
        var evaluation = await service.EvaluateSlaAsync(Tenant, desk.Id);
        Assert.Equal(Desk.Evaluate(Desk.CreateClock(desk), Utc(30, 8)), evaluation);
        Assert.Equal(Utc(30, 8, 30), evaluation!.Value.FirstResponse.DueAt);
        Assert.Null(await service.EvaluateSlaAsync(Tenant, none.Id));
        Assert.Equal(CrmErrorCodes.CaseNotFound, (await Assert.ThrowsAsync<CaseRuleException>(async () => await service.EvaluateSlaAsync(Tenant, CaseId.New()))).ErrorCode);

        // A stored case whose policy is no longer registered.
        var unregistered = stores.Service(clock, null);
        Assert.Equal(CrmErrorCodes.CaseSlaPolicyUnknown, (await Assert.ThrowsAsync<CaseRuleException>(async () => await unregistered.EvaluateSlaAsync(Tenant, desk.Id))).ErrorCode);
        Assert.Empty(await unregistered.SweepSlaAsync(Tenant).ToListAsync());
    }

    [Fact]
    public async Task Sweep_EvaluatesEachPolicyInBatches_EscalatesEachTargetOnce_RaisingThePriority()
    {
        var clock = new FakeClock(Friday1600);
        var (service, customer, _) = await ServiceAsync(clock, new CaseServiceOptions { SlaPolicies = [Desk, AllDay], SlaBreachPriority = CasePriority.Urgent });
        var quiet = await service.OpenAsync(Tenant, customer, "Quiet", "network", CasePriority.Low, "agent", slaPolicy: "desk");
        var late = await service.OpenAsync(Tenant, customer, "Late", "network", CasePriority.Normal, "agent", slaPolicy: "desk");
        var allDay = await service.OpenAsync(Tenant, customer, "All day", "network", CasePriority.Normal, "agent", slaPolicy: "all-day");
        var none = await service.OpenAsync(Tenant, customer, "No SLA", "network", CasePriority.Normal, "agent");
        await service.StartAsync(Tenant, late.Id, "agent", "picked up");

        clock.Reset(Utc(30, 8, 15));            // Monday 09:15 BST: late used 75 of 90 minutes (at risk); all-day counts the weekend (breached)
        var progress = new List<int>();
        var first = await service.SweepSlaAsync(Tenant, batchSize: 1, progress: new SyncProgress(progress)).ToListAsync();
        Assert.Equal([1, 2, 3], progress);      // three cases under a registered policy, one per batch; the one without is skipped
        Assert.Equal([allDay.Id, late.Id], first.Select(a => a.CaseId));   // stream order: new cases, then in progress
        var atRisk = first.Single(a => a.CaseId == late.Id);
        Assert.False(atRisk.IsBreached);
        Assert.Equal(SlaState.AtRisk, atRisk.Evaluation.FirstResponse.State);
        Assert.Equal(Duration.FromMinutes(15), atRisk.Evaluation.FirstResponse.Remaining);
        Assert.Equal((CaseStatus.InProgress, CasePriority.Normal, "desk", Utc(30, 8, 15)), (atRisk.Status, atRisk.Priority, atRisk.SlaPolicy, atRisk.EvaluatedAt));
        Assert.Empty(atRisk.Escalations);
        var breached = first.Single(a => a.CaseId == allDay.Id);
        Assert.True(breached.IsBreached);
        Assert.Equal([CaseService.FirstResponseBreachedReason, CaseService.ResolutionBreachedReason], breached.Escalations.Select(e => e.Reason));
        Assert.All(breached.Escalations, e => Assert.Equal((CaseService.SystemActor, CasePriority.Urgent), (e.Actor, e.Priority)));
        Assert.Contains("all-day", breached.ToString(), StringComparison.Ordinal);

        clock.Advance(Duration.FromMinutes(20));   // late's first response is now breached too
        var second = await service.SweepSlaAsync(Tenant).ToListAsync();
        Assert.Empty(second.Single(a => a.CaseId == allDay.Id).Escalations);
        Assert.Equal([CaseService.FirstResponseBreachedReason], second.Single(a => a.CaseId == late.Id).Escalations.Select(e => e.Reason));
        Assert.All(await service.SweepSlaAsync(Tenant).ToListAsync(), a => Assert.Empty(a.Escalations));

        Assert.Equal(2, (await service.GetAsync(Tenant, allDay.Id)).EscalationLevel);
        Assert.Equal(CasePriority.Urgent, (await service.GetAsync(Tenant, late.Id)).Priority);
        Assert.Equal(0, (await service.GetAsync(Tenant, quiet.Id)).EscalationLevel);
        Assert.Equal(0, (await service.GetAsync(Tenant, none.Id)).EscalationLevel);
    }

    [Fact]
    public async Task Sweep_ReportsButDoesNotEscalate_PastTheTopLevel_AndChecksItsArguments()
    {
        var clock = new FakeClock(Friday1600);
        var (service, customer, _) = await ServiceAsync(clock, new CaseServiceOptions { SlaPolicies = [AllDay] });
        var top = await service.OpenAsync(Tenant, customer, "Top", "network", CasePriority.Normal, "agent", slaPolicy: "all-day");
        for (var level = 1; level <= ServiceCase.MaxEscalationLevel; level++)
        {
            await service.EscalateAsync(Tenant, top.Id, "lead", $"level {level}");
        }

        clock.Advance(Duration.FromDays(2));
        var alert = Assert.Single(await service.SweepSlaAsync(Tenant).ToListAsync());
        Assert.True(alert.IsBreached);
        Assert.Empty(alert.Escalations);

        Assert.ThrowsAny<ArgumentException>(() => service.SweepSlaAsync(default));
        Assert.Throws<ArgumentOutOfRangeException>(() => service.SweepSlaAsync(Tenant, 0));
        Assert.Throws<InputLimitExceededException>(() => service.SweepSlaAsync(Tenant, 10_001));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await service.SweepSlaAsync(Tenant, cancellationToken: cancelled.Token).ToListAsync());
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await service.EvaluateSlaAsync(default, top.Id));
    }

    [Fact]
    public async Task TwoSweepsAtOnce_EscalateABreachOnce_TheLoserRetriesAndFindsItDone()
    {
        var clock = new FakeClock(Friday1600);
        var options = new CaseServiceOptions { SlaPolicies = [AllDay] };
        var (service, customer, stores) = await ServiceAsync(clock, options);
        var serviceCase = await service.OpenAsync(Tenant, customer, "Race", "network", CasePriority.Normal, "agent", slaPolicy: "all-day");
        clock.Advance(Duration.FromHours(3));
        var racing = new RacingCaseStore(stores.Cases);
        var loser = new CaseService(racing, stores.Touchpoints, stores.Repository, stores.Ingestion, clock, options);
        IReadOnlyList<SlaAlert> rivals = [];
        racing.BeforeNextCommit = async () => rivals = await service.SweepSlaAsync(Tenant).ToListAsync();

        var alert = Assert.Single(await loser.SweepSlaAsync(Tenant).ToListAsync());
        Assert.Equal(1, racing.Commits);                                     // the conflicting commit only: the retry found it escalated
        Assert.Empty(alert.Escalations);
        Assert.Equal(CaseService.FirstResponseBreachedReason, Assert.Single(Assert.Single(rivals).Escalations).Reason);
        Assert.Equal(1, (await service.GetAsync(Tenant, serviceCase.Id)).EscalationLevel);
    }

    [Fact]
    public async Task Options_WithDuplicateNullOrTooManyPolicies_AreRefused()
    {
        var clock = new FakeClock(Friday1600);
        await Assert.ThrowsAsync<ArgumentException>(async () => await ServiceAsync(clock, new CaseServiceOptions { SlaPolicies = [Desk, new SlaPolicy("desk", Office, Desk.Targets)] }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await ServiceAsync(clock, new CaseServiceOptions { SlaPolicies = [null!] }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await ServiceAsync(clock, new CaseServiceOptions { SlaBreachPriority = (CasePriority)9 }));
        var many = Enumerable.Range(0, CaseServiceOptions.MaxSlaPolicies + 1).Select(i => new SlaPolicy($"p{i}", Office, Desk.Targets)).ToArray();
        await Assert.ThrowsAsync<InputLimitExceededException>(async () => await ServiceAsync(clock, new CaseServiceOptions { SlaPolicies = many }));
    }

    private static async Task<(CaseService Service, CustomerId Customer, Stores Stores)> ServiceAsync(FakeClock clock, CaseServiceOptions? options = null)
    {
        var outbox = new InMemoryCrmOutbox();
        var touchpoints = new InMemoryTouchpointStore();
        var repository = new CustomerRepository(new InMemoryCustomerStore(outbox), clock);
        var customer = Customer.Register(Tenant, new PersonProfile("Ada", "Lovelace"), clock);
        await repository.SaveAsync(customer);
        var stores = new Stores(new InMemoryCaseStore(outbox), touchpoints, repository, new TouchpointIngestion(touchpoints, clock));
        return (stores.Service(clock, options), customer.Id, stores);
    }

    private sealed record Stores(InMemoryCaseStore Cases, InMemoryTouchpointStore Touchpoints, CustomerRepository Repository, TouchpointIngestion Ingestion)
    {
        public CaseService Service(IClock clock, CaseServiceOptions? options) => new(Cases, Touchpoints, Repository, Ingestion, clock, options);
    }

    private sealed class RacingCaseStore(InMemoryCaseStore inner) : CrmKernel.Storage.ICaseStore
    {
        public Func<Task>? BeforeNextCommit { get; set; }

        public int Commits { get; private set; }

        public ValueTask<ServiceCase?> FindAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, caseId, cancellationToken);

        public ValueTask<IReadOnlyList<ServiceCase>> PageAsync(TenantId tenantId, CaseId? after, int limit, CancellationToken cancellationToken) => inner.PageAsync(tenantId, after, limit, cancellationToken);

        public ValueTask<IReadOnlyList<ServiceCase>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, CaseId? after, int limit, CancellationToken cancellationToken)
            => inner.PageByCustomerAsync(tenantId, customerId, after, limit, cancellationToken);

        public ValueTask<IReadOnlyList<ServiceCase>> PageByStatusAsync(TenantId tenantId, CaseStatus status, CaseId? after, int limit, CancellationToken cancellationToken)
            => inner.PageByStatusAsync(tenantId, status, after, limit, cancellationToken);

        public async ValueTask CommitAsync(CrmKernel.Storage.CaseCommit commit, CancellationToken cancellationToken)
        {
            Commits++;
            if (BeforeNextCommit is { } race)
            {
                BeforeNextCommit = null;
                await race();
            }

            await inner.CommitAsync(commit, cancellationToken);
        }
    }

    private sealed class SyncProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
