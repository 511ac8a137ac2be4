using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Cases;
using CrmKernel.Services.Events;
using CrmKernel.Services.Ingestion;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Testing.Storage;

/// <summary>
/// The conformance kit for <see cref="ICaseStore"/>, and for <see cref="CaseService"/> running on it: every field
/// round-trips (touchpoints, history, escalations, resolution, merge target), versions conflict and a conflicting commit
/// (of one case or of a merge's two) changes nothing, events go to the outbox in the same commit and the relay reads
/// them back, tenants are isolated, keyset pages per tenant, customer and status neither skip nor repeat, a lost race is
/// retried, and resolutions move the customer's lifecycle through the ingestion pipeline once (complaint → dissatisfied;
/// low satisfaction → dissatisfied; a complaint resolved to the customer's satisfaction → recovered). Return stores
/// whose <see cref="CrmStores.Cases"/>, <see cref="CrmStores.Touchpoints"/> and <see cref="CrmStores.CustomerTouchpoints"/> are set.
/// </summary>
public abstract class CaseStoreConformanceTests : StoreConformanceTests
{
    /// <summary>The case store under test.</summary>
    protected static ICaseStore Cases(CrmStores stores)
        => Preconditions.NotNull(stores).Cases ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Cases for the case kit.");

    /// <summary>The ingestion pipeline over the stores under test, applying the default lifecycle.</summary>
    protected TouchpointIngestion Ingestion(CrmStores stores, ICrmEventPublisher? publisher = null)
    {
        Preconditions.NotNull(stores);
        var touchpoints = stores.Touchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.Touchpoints for the case kit.");
        var atomic = stores.CustomerTouchpoints ?? throw new InvalidOperationException("CreateStoresAsync must set CrmStores.CustomerTouchpoints for the case kit.");
        return new TouchpointIngestion(touchpoints, Clock, DefaultLifecycleModel.Create(), stores.Customers, atomic, publisher, stores.Outbox);
    }

    /// <summary>The service over the stores under test.</summary>
    protected CaseService Service(CrmStores stores, ICaseStore? cases = null)
        => new(cases ?? Cases(stores), Preconditions.NotNull(stores).Touchpoints!, Repository(stores), Ingestion(stores), Clock, new CaseServiceOptions { SlaPolicies = [KitSla] });

    /// <summary>The kit's SLA policy <c>standard</c>, registered with <see cref="Service"/>: round the clock in UTC; first response 1 h and resolution 8 h for Normal and above, 4 h and 32 h for Low.</summary>
    private static readonly SlaPolicy KitSla = new("standard", new Calendars.BusinessCalendar(DateTimeZone.Utc, Calendars.WorkingHours.AllDay(), []), new Dictionary<CasePriority, SlaTargets>
    {
        [CasePriority.Low] = new(Duration.FromHours(4), Duration.FromHours(32)),
        [CasePriority.Normal] = new(Duration.FromHours(1), Duration.FromHours(8)),
        [CasePriority.High] = new(Duration.FromHours(1), Duration.FromHours(8)),
        [CasePriority.Urgent] = new(Duration.FromHours(1), Duration.FromHours(8)),
    });

    /// <summary>The service over the stores under test, with the kit's SLA policy registered, publishing to <paramref name="publisher"/>.</summary>
    private CaseService SlaService(CrmStores stores, ICrmEventPublisher publisher)
        => new(Cases(stores), stores.Touchpoints!, Repository(stores, publisher), Ingestion(stores), Clock, new CaseServiceOptions { SlaPolicies = [KitSla] });

    /// <summary>A new case (version 0, with pending events) of <paramref name="customer"/>.</summary>
    protected ServiceCase NewCase(TenantId tenant, CustomerId customer, TouchpointId? origin = null)
        => ServiceCase.Open(tenant, CaseId.New(), customer, "Invoice charged twice", "billing/refund", CasePriority.Normal, origin, origin is not null, "standard", Clock.GetCurrentInstant(), "kit-agent");

    /// <summary>Commits cases' pending changes as the service does, returning the commit.</summary>
    protected static async Task<CaseCommit> CommitAsync(CrmStores stores, params ServiceCase[] cases)
    {
        var commit = CaseCommit.Create(cases);
        await Cases(stores).CommitAsync(commit, default);
        for (var i = 0; i < cases.Length; i++)
        {
            cases[i].MarkCommitted(commit.Writes[i].NewVersion);
        }

        return commit;
    }

    /// <summary>Every field of a case round-trips, through work, a wait, escalations, a resolution with a score, a reopen and a second resolution.</summary>
    [Fact]
    public virtual async Task Case_RoundTripsEveryField()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var serviceCase = NewCase(tenant, CustomerId.New(), TouchpointId.New());
        serviceCase.Assign("agent-7", Clock.GetCurrentInstant());
        serviceCase.Start(Clock.GetCurrentInstant(), "agent-7", "picked up");
        serviceCase.RecordResponse(Clock.GetCurrentInstant().PlusNanoseconds(123));
        serviceCase.AttachTouchpoint(TouchpointId.New(), Clock.GetCurrentInstant());
        serviceCase.WaitOnCustomer(Clock.GetCurrentInstant(), "agent-7", "asked for the invoice number");
        serviceCase.Resume(Clock.GetCurrentInstant(), "agent-7", "customer answered");
        serviceCase.Escalate(Clock.GetCurrentInstant(), "agent-7", "refund above limit", CasePriority.High);
        serviceCase.Escalate(Clock.GetCurrentInstant(), "lead-2", "second charge again");
        serviceCase.Resolve(Clock.GetCurrentInstant(), "lead-2", "refunded", SatisfactionScore.Create(SatisfactionScale.Csat, 2));
        serviceCase.Reopen(Duration.FromDays(7), Clock.GetCurrentInstant(), "customer", "charged a third time");
        serviceCase.Resolve(Clock.GetCurrentInstant(), "lead-2", null, null);
        await CommitAsync(stores, serviceCase);

        var stored = await Cases(stores).FindAsync(tenant, serviceCase.Id, default);
        AssertSameCase(serviceCase, stored);
        Assert.Equal(1, stored!.Version);
        Assert.Equal(1, stored.ReopenCount);
        Assert.Equal(2, stored.ContactCount);
        Assert.Equal(CasePriority.High, stored.Priority);
        Assert.Single(stored.ResolutionClockPauses);
        Assert.Equal(3, stored.HandlingIntervals.Count); // started to waiting, resumed to resolved, reopened to resolved again
        Assert.Null(await Cases(stores).FindAsync(tenant, CaseId.New(), default));
    }

    /// <summary>
    /// Versions move on every write; a stale write, an insert of an existing id, an update of a missing one, and a merge
    /// commit whose second case is stale are conflicts (<c>CRM-STORE-002</c>) that change nothing: neither state nor outbox.
    /// </summary>
    [Fact]
    public virtual async Task Commit_StaleOrMisplaced_ConflictsAndChangesNothing()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = CustomerId.New();
        var serviceCase = NewCase(tenant, customer);
        var other = NewCase(tenant, customer);
        await CommitAsync(stores, serviceCase);
        await CommitAsync(stores, other);
        var reader = (await Cases(stores).FindAsync(tenant, serviceCase.Id, default))!;
        var otherReader = (await Cases(stores).FindAsync(tenant, other.Id, default))!;
        serviceCase.Start(Clock.GetCurrentInstant(), "kit-agent", "picked up");
        await CommitAsync(stores, serviceCase);
        var pending = await stores.Outbox.ListPendingAsync(tenant, 100, default);

        reader.Assign("agent-stale", Clock.GetCurrentInstant());
        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Cases(stores).CommitAsync(CaseCommit.Create(reader), default));
        Assert.Equal(CrmErrorCodes.ConcurrencyConflict, stale.ErrorCode);
        Assert.Equal(1, stale.ExpectedVersion);
        Assert.Equal(2, stale.ActualVersion);

        // A merge whose survivor is current and whose duplicate is stale stores neither.
        var staleDuplicate = (await Cases(stores).FindAsync(tenant, serviceCase.Id, default))!;
        serviceCase.Assign("agent-9", Clock.GetCurrentInstant());
        await CommitAsync(stores, serviceCase);
        pending = await stores.Outbox.ListPendingAsync(tenant, 100, default);
        ServiceCase.Merge(otherReader, staleDuplicate, Clock.GetCurrentInstant(), "kit-agent", "same problem");
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Cases(stores).CommitAsync(CaseCommit.Create([otherReader, staleDuplicate]), default));

        var duplicateId = ServiceCase.Open(tenant, serviceCase.Id, customer, "Same id", "billing", CasePriority.Low, null, false, null, Clock.GetCurrentInstant(), "kit-agent");
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Cases(stores).CommitAsync(CaseCommit.Create(duplicateId), default));
        var ghost = ServiceCase.Rehydrate(tenant, CaseId.New(), customer, "Ghost", "billing", CasePriority.Low, null, null, false, null, [], serviceCase.History, [], null, null, null, 2);
        ghost.Assign("agent-1", Clock.GetCurrentInstant());
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Cases(stores).CommitAsync(CaseCommit.Create(ghost), default));

        AssertSameCase(serviceCase, await Cases(stores).FindAsync(tenant, serviceCase.Id, default));
        AssertSameCase(other, await Cases(stores).FindAsync(tenant, other.Id, default));
        Assert.Null(await Cases(stores).FindAsync(tenant, ghost.Id, default));
        Assert.Equal(pending.Select(e => e.EventId), (await stores.Outbox.ListPendingAsync(tenant, 100, default)).Select(e => e.EventId));
    }

    /// <summary>The events of a commit (a merge's two cases included) are in the outbox with the state, at the committed versions, and the relay reads them back as the same events.</summary>
    [Fact]
    public virtual async Task Commit_StoresEventsInTheOutbox_AndTheRelayPublishesThem()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = CustomerId.New();
        var survivor = NewCase(tenant, customer, TouchpointId.New());
        var duplicate = NewCase(tenant, customer, TouchpointId.New());
        var raised = new List<CaseEvent>(survivor.PendingEvents);
        await CommitAsync(stores, survivor);
        raised.AddRange(duplicate.PendingEvents);
        await CommitAsync(stores, duplicate);
        survivor.Start(Clock.GetCurrentInstant(), "kit-agent", "picked up");
        survivor.Escalate(Clock.GetCurrentInstant(), "kit-agent", "angry", CasePriority.Urgent);
        survivor.Resolve(Clock.GetCurrentInstant(), "kit-agent", "refunded", SatisfactionScore.Create(SatisfactionScale.Csat, 5));
        raised.AddRange(survivor.PendingEvents);
        await CommitAsync(stores, survivor);
        ServiceCase.Merge(duplicate, survivor, Clock.GetCurrentInstant(), "kit-agent", "same charge");
        raised.AddRange(duplicate.PendingEvents);
        raised.AddRange(survivor.PendingEvents);
        await CommitAsync(stores, duplicate, survivor);

        var pending = await stores.Outbox.ListPendingAsync(tenant, 100, default);
        Assert.Equal(raised.Select(e => e.EventId), pending.Select(e => e.EventId));
        Assert.All(pending, e => Assert.Equal("service-case", e.AggregateType));
        Assert.Equal([1L, 1L, 2L, 2L, 2L, 2L, 3L], pending.Select(e => e.AggregateVersion));

        var publisher = new RecordingPublisher();
        Assert.Equal(7, await new CrmEventRelay(stores.Outbox, publisher).PublishPendingAsync(tenant));
        Assert.Equal(raised.Select(e => (e.EventId, e.GetType(), e.OccurredAt)), publisher.Published.Select(e => (e.EventId, e.GetType(), e.OccurredAt)));
        var resolved = Assert.IsType<CaseResolved>(publisher.Published[4]);
        Assert.Equal(SatisfactionScore.Create(SatisfactionScale.Csat, 5), resolved.Resolution.Satisfaction);
        Assert.Equal(survivor.Id, Assert.IsType<CaseMerged>(publisher.Published[5]).SurvivorId);
        Assert.Equal(duplicate.Touchpoints, Assert.IsType<CaseDuplicateAbsorbed>(publisher.Published[6]).TouchpointIds);
        Assert.Equal(CasePriority.Urgent, Assert.IsType<CaseEscalated>(publisher.Published[3]).Escalation.Priority);
        Assert.Empty(await stores.Outbox.ListPendingAsync(tenant, 100, default));
    }

    /// <summary>Nothing of tenant A is visible or changeable from tenant B: reads, pages of every kind, the outbox.</summary>
    [Fact]
    public virtual async Task Tenants_AreIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var (a, b) = (NewTenant(), NewTenant());
        var serviceCase = NewCase(a, CustomerId.New());
        await CommitAsync(stores, serviceCase);

        Assert.Null(await Cases(stores).FindAsync(b, serviceCase.Id, default));
        Assert.Empty(await Cases(stores).PageAsync(b, null, 10, default));
        Assert.Empty(await Cases(stores).PageByCustomerAsync(b, serviceCase.CustomerId, null, 10, default));
        Assert.Empty(await Cases(stores).PageByStatusAsync(b, CaseStatus.New, null, 10, default));
        Assert.Empty(await stores.Outbox.ListPendingAsync(b, 10, default));

        // The same id in tenant B is B's own record and leaves A's untouched.
        var twin = ServiceCase.Open(b, serviceCase.Id, serviceCase.CustomerId, "Other tenant", "delivery", CasePriority.Urgent, null, false, null, Clock.GetCurrentInstant(), "agent-b");
        await CommitAsync(stores, twin);
        AssertSameCase(serviceCase, await Cases(stores).FindAsync(a, serviceCase.Id, default));
        AssertSameCase(twin, await Cases(stores).FindAsync(b, serviceCase.Id, default));
        Assert.Single(await stores.Outbox.ListPendingAsync(a, 10, default));
    }

    /// <summary>Keyset pages per tenant, per customer and per status: ascending id order, exact limits, a short last page, no skips or repeats; a status change moves a case between status pages.</summary>
    [Fact]
    public virtual async Task Pages_WalkEveryCaseOnce_PerTenantCustomerAndStatus()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (x, y) = (CustomerId.New(), CustomerId.New());
        var ids = new List<CaseId>();
        var ofX = new List<CaseId>();
        var started = new List<CaseId>();
        for (var i = 0; i < 23; i++)
        {
            var serviceCase = NewCase(tenant, i % 3 == 0 ? x : y);
            if (i % 2 == 0)
            {
                serviceCase.Start(Clock.GetCurrentInstant(), "kit-agent", "picked up");
                started.Add(serviceCase.Id);
            }

            await CommitAsync(stores, serviceCase);
            ids.Add(serviceCase.Id);
            if (i % 3 == 0)
            {
                ofX.Add(serviceCase.Id);
            }
        }

        Assert.Equal(ids.Order(), await WalkAsync((after, ct) => Cases(stores).PageAsync(tenant, after, 5, ct), 5));
        Assert.Equal(ofX.Order(), await WalkAsync((after, ct) => Cases(stores).PageByCustomerAsync(tenant, x, after, 3, ct), 3));
        Assert.Equal(started.Order(), await WalkAsync((after, ct) => Cases(stores).PageByStatusAsync(tenant, CaseStatus.InProgress, after, 4, ct), 4));
        Assert.Equal(ids.Except(started).Order(), await WalkAsync((after, ct) => Cases(stores).PageByStatusAsync(tenant, CaseStatus.New, after, 4, ct), 4));
        Assert.Equal(ids.Order(), (await Cases(stores).PageAsync(tenant, null, 10_000, default)).Select(c => c.Id));
        Assert.Empty(await Cases(stores).PageAsync(tenant, ids.Max(), 10, default));
        Assert.Empty(await Cases(stores).PageByCustomerAsync(tenant, CustomerId.New(), null, 10, default));
        Assert.Empty(await Cases(stores).PageByStatusAsync(tenant, CaseStatus.Closed, null, 10, default));

        var moved = (await Cases(stores).FindAsync(tenant, started[0], default))!;
        moved.WaitOnCustomer(Clock.GetCurrentInstant(), "kit-agent", "asked");
        await CommitAsync(stores, moved);
        Assert.Equal(started.Skip(1).Order(), (await Cases(stores).PageByStatusAsync(tenant, CaseStatus.InProgress, null, 100, default)).Select(c => c.Id));
        Assert.Equal([started[0]], (await Cases(stores).PageByStatusAsync(tenant, CaseStatus.WaitingOnCustomer, null, 100, default)).Select(c => c.Id));
    }

    /// <summary>
    /// Through the service: a buying customer's complaint opens a case (the complaint rule makes the customer dissatisfied);
    /// resolved to the customer's satisfaction, the case records the resolution and the positive feedback once, and the
    /// customer is recovered; recording again stores nothing.
    /// </summary>
    [Fact]
    public virtual async Task Service_ComplaintResolvedToSatisfaction_RecoversTheCustomer_Once()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await BuyingCustomerAsync(stores, tenant);
        var complaint = await Ingestion(stores).RecordAsync(tenant, Contact(customer.Id, TouchpointKind.Complaint, "complaint-1"));
        Assert.Equal(DefaultLifecycleModel.Dissatisfied, Assert.Single(complaint.Transitions).Transition.To);
        var service = Service(stores);

        var serviceCase = await service.OpenFromTouchpointAsync(tenant, customer.Id, complaint.Touchpoint!.Id, "Parcel arrived broken", "delivery/damage", CasePriority.High, "kit-agent", "standard");
        Assert.True(serviceCase.IsComplaint);
        Assert.Equal([complaint.Touchpoint.Id], serviceCase.Touchpoints);
        await service.StartAsync(tenant, serviceCase.Id, "kit-agent", "picked up");
        var effects = await service.ResolveAsync(tenant, serviceCase.Id, "kit-agent", "replacement sent", SatisfactionScore.Create(SatisfactionScale.Csat, 5));

        Assert.Equal([TouchpointKind.Resolution, TouchpointKind.Feedback], effects.Select(r => r.Touchpoint!.Kind));
        Assert.All(effects, r => Assert.Equal(1, r.Recorded));
        Assert.Equal(CaseService.ComplaintResolutionKey(complaint.Touchpoint.Id), effects[0].Touchpoint!.Source);
        Assert.Equal(DefaultLifecycleModel.Recovered, Assert.Single(effects[1].Transitions).Transition.To);
        var recovered = await Repository(stores).GetAsync(tenant, customer.Id);
        Assert.Equal(DefaultLifecycleModel.Recovered, recovered.Lifecycle.Stage);
        var touchpoints = await stores.Touchpoints!.CountAsync(tenant, default);

        var again = await service.RecordResolutionAsync(tenant, serviceCase.Id);
        Assert.Equal(TouchpointKind.Feedback, Assert.Single(again).Touchpoint!.Kind); // the complaint is resolved already: skipped
        Assert.All(again, r => Assert.True(r.AlreadyRecorded));
        Assert.All(again, r => Assert.Empty(r.Transitions));
        Assert.Equal(touchpoints, await stores.Touchpoints!.CountAsync(tenant, default));
        Assert.Equal(recovered.Version, (await Repository(stores).GetAsync(tenant, customer.Id)).Version);
    }

    /// <summary>
    /// Through the service: two complaints about the same problem open two cases; the second is merged into the first,
    /// and resolving the survivor resolves both complaints in the lifecycle facts (one resolution touchpoint each), so a
    /// positive score recovers the customer; a case resolved again later does not resolve them twice.
    /// </summary>
    [Fact]
    public virtual async Task Service_MergedComplaints_AreResolvedWithTheSurvivor()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = await BuyingCustomerAsync(stores, tenant);
        var first = await Ingestion(stores).RecordAsync(tenant, Contact(customer.Id, TouchpointKind.Complaint, "complaint-a"));
        var second = await Ingestion(stores).RecordAsync(tenant, Contact(customer.Id, TouchpointKind.Complaint, "complaint-b"));
        var service = Service(stores);
        var survivor = await service.OpenFromTouchpointAsync(tenant, customer.Id, first.Touchpoint!.Id, "Late delivery", "delivery/late", CasePriority.Normal, "kit-agent");
        var duplicate = await service.OpenFromTouchpointAsync(tenant, customer.Id, second.Touchpoint!.Id, "Still late", "delivery/late", CasePriority.Normal, "kit-agent");
        await service.MergeAsync(tenant, duplicate.Id, survivor.Id, "kit-agent", "same delivery");
        await service.StartAsync(tenant, survivor.Id, "kit-agent", "picked up");

        var effects = await service.ResolveAsync(tenant, survivor.Id, "kit-agent", "delivered", SatisfactionScore.Create(SatisfactionScale.Csat, 4));

        Assert.Equal([CaseService.ComplaintResolutionKey(first.Touchpoint.Id), CaseService.ComplaintResolutionKey(second.Touchpoint.Id)], effects.Take(2).Select(r => r.Touchpoint!.Source));
        Assert.Equal(DefaultLifecycleModel.Recovered, Assert.Single(effects[2].Transitions).Transition.To);
        var recovered = await Repository(stores).GetAsync(tenant, customer.Id);
        Assert.Equal(0, recovered.Lifecycle.Facts.OpenComplaints);

        await service.ReopenAsync(tenant, survivor.Id, "customer", "wrong parcel");
        var again = await service.ResolveAsync(tenant, survivor.Id, "kit-agent", "right parcel");
        Assert.Empty(again);
        Assert.Equal(recovered.Version, (await Repository(stores).GetAsync(tenant, customer.Id)).Version);
    }

    /// <summary>
    /// Through the service: an enquiry case resolved with a low score marks a buying customer dissatisfied (rule
    /// negative-feedback); a complaint opened directly records its complaint touchpoint as its origin (rule complaint).
    /// </summary>
    [Fact]
    public virtual async Task Service_LowSatisfaction_AndDirectComplaints_MarkTheCustomerDissatisfied()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (first, second) = (await BuyingCustomerAsync(stores, tenant), await BuyingCustomerAsync(stores, tenant));
        var service = Service(stores);

        var enquiry = await service.OpenAsync(tenant, first.Id, "How do I change my plan?", "account/plan", CasePriority.Low, "kit-agent");
        Assert.False(enquiry.IsComplaint);
        Assert.Null(enquiry.OriginTouchpointId);
        await service.StartAsync(tenant, enquiry.Id, "kit-agent", "picked up");
        var effects = await service.ResolveAsync(tenant, enquiry.Id, "kit-agent", "explained", SatisfactionScore.Create(SatisfactionScale.Csat, 1));
        var feedback = Assert.Single(effects);
        Assert.Equal(TouchpointKind.Feedback, feedback.Touchpoint!.Kind);
        Assert.Equal(DefaultLifecycleModel.Dissatisfied, Assert.Single(feedback.Transitions).Transition.To);
        Assert.Equal(DefaultLifecycleModel.Dissatisfied, (await Repository(stores).GetAsync(tenant, first.Id)).Lifecycle.Stage);

        var direct = await service.OpenAsync(tenant, second.Id, "Rude courier", "delivery/courier", CasePriority.Normal, "kit-agent", isComplaint: true);
        Assert.True(direct.IsComplaint);
        var origin = await stores.Touchpoints!.FindAsync(tenant, direct.OriginTouchpointId!.Value, default);
        Assert.Equal(TouchpointKind.Complaint, origin!.Kind);
        Assert.Equal(CaseService.Key(direct.Id, "complaint"), origin.Source);
        Assert.Equal(DefaultLifecycleModel.Dissatisfied, (await Repository(stores).GetAsync(tenant, second.Id)).Lifecycle.Stage);
    }

    /// <summary>
    /// Through the service: a touchpoint of another customer or none at all is refused (<c>CRM-CASE-007</c>); a reopen
    /// inside the window works, after it is refused (<c>CRM-CASE-003</c>), and the close sweep closes the expired case;
    /// a merge moves the duplicate's touchpoints and closes it; each refusal stores nothing.
    /// </summary>
    [Fact]
    public virtual async Task Service_TouchpointsReopenWindowAndMerge_FollowTheRules()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var (customer, stranger) = (NewCustomer(tenant), NewCustomer(tenant));
        await Repository(stores).SaveAsync(customer);
        await Repository(stores).SaveAsync(stranger);
        var service = Service(stores);
        var theirs = await Ingestion(stores).RecordAsync(tenant, Contact(stranger.Id, TouchpointKind.Complaint, "theirs"));
        var ours = await Ingestion(stores).RecordAsync(tenant, Contact(customer.Id, TouchpointKind.Enquiry, "ours"));

        var refused = await Assert.ThrowsAsync<CaseRuleException>(async () => await service.OpenFromTouchpointAsync(tenant, customer.Id, theirs.Touchpoint!.Id, "Mixed up", "billing", CasePriority.Normal, "kit-agent"));
        Assert.Equal(CrmErrorCodes.CaseTouchpointInvalid, refused.ErrorCode);
        Assert.Equal(CrmErrorCodes.CaseTouchpointInvalid, (await Assert.ThrowsAsync<CaseRuleException>(async () => await service.OpenFromTouchpointAsync(tenant, customer.Id, TouchpointId.New(), "Missing", "billing", CasePriority.Normal, "kit-agent"))).ErrorCode);
        Assert.Empty(await Cases(stores).PageAsync(tenant, null, 10, default));

        var survivor = await service.OpenFromTouchpointAsync(tenant, customer.Id, ours.Touchpoint!.Id, "Plan question", "account/plan", CasePriority.Normal, "kit-agent");
        var duplicate = await service.OpenAsync(tenant, customer.Id, "Plan question again", "account/plan", CasePriority.Normal, "kit-agent");
        var later = await Ingestion(stores).RecordAsync(tenant, Contact(customer.Id, TouchpointKind.Enquiry, "later"));
        await service.AttachTouchpointAsync(tenant, duplicate.Id, later.Touchpoint!.Id);
        Assert.Equal(CrmErrorCodes.CaseTouchpointInvalid, (await Assert.ThrowsAsync<CaseRuleException>(async () => await service.AttachTouchpointAsync(tenant, duplicate.Id, theirs.Touchpoint!.Id))).ErrorCode);
        Assert.Equal(CrmErrorCodes.CaseMergeRefused, (await Assert.ThrowsAsync<CaseRuleException>(async () => await service.MergeAsync(tenant, duplicate.Id, duplicate.Id, "kit-agent", "self"))).ErrorCode);
        await service.MergeAsync(tenant, duplicate.Id, survivor.Id, "kit-agent", "same question");
        var merged = await service.GetAsync(tenant, duplicate.Id);
        Assert.Equal(CaseStatus.Closed, merged.Status);
        Assert.Equal(survivor.Id, merged.MergedInto);
        Assert.Equal([ours.Touchpoint.Id, later.Touchpoint.Id], (await service.GetAsync(tenant, survivor.Id)).Touchpoints);
        Assert.Equal(CrmErrorCodes.CaseMergeRefused, (await Assert.ThrowsAsync<CaseRuleException>(async () => await service.MergeAsync(tenant, survivor.Id, duplicate.Id, "kit-agent", "into a closed case"))).ErrorCode);

        await service.StartAsync(tenant, survivor.Id, "kit-agent", "picked up");
        await service.ResolveAsync(tenant, survivor.Id, "kit-agent", "answered");
        Clock.Advance(Duration.FromDays(6));
        await service.ReopenAsync(tenant, survivor.Id, "customer", "still unclear");
        await service.ResolveAsync(tenant, survivor.Id, "kit-agent", "answered again");
        Assert.Equal(0, await service.CloseExpiredAsync(tenant));
        Clock.Advance(Duration.FromDays(7) + Duration.FromMinutes(1));
        var resolved = await service.GetAsync(tenant, survivor.Id);
        var late = await Assert.ThrowsAsync<CaseRuleException>(async () => await service.ReopenAsync(tenant, survivor.Id, "customer", "too late"));
        Assert.Equal(CrmErrorCodes.CaseCannotReopen, late.ErrorCode);
        AssertSameCase(resolved, await service.GetAsync(tenant, survivor.Id));

        Assert.Equal(1, await service.CloseExpiredAsync(tenant));
        var closed = await service.GetAsync(tenant, survivor.Id);
        Assert.Equal(CaseStatus.Closed, closed.Status);
        Assert.Equal(1, closed.ReopenCount);
        Assert.Equal(2, closed.ResolvedInstants.Count);
        Assert.Empty(await service.StreamActiveAsync(tenant).ToListAsync());
    }

    /// <summary>
    /// Through the service, two writers working the same case from the same version: the loser's commit conflicts and is
    /// retried from a fresh read, so neither change is lost; a rule the retry then breaks is refused and stores nothing.
    /// </summary>
    [Fact]
    public virtual async Task Service_LostRace_IsRetried_AndLosesNoUpdate()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant);
        await Repository(stores).SaveAsync(customer);
        var racing = new RacingCaseStore(Cases(stores));
        var service = Service(stores, racing);
        var serviceCase = await service.OpenAsync(tenant, customer.Id, "Race", "billing", CasePriority.Normal, "kit-agent");

        racing.BeforeNextCommit = async () =>
        {
            var other = (await Cases(stores).FindAsync(tenant, serviceCase.Id, default))!;
            other.Assign("agent-rival", Clock.GetCurrentInstant());
            await CommitAsync(stores, other);
        };
        await service.StartAsync(tenant, serviceCase.Id, "kit-agent", "picked up");

        var stored = await service.GetAsync(tenant, serviceCase.Id);
        Assert.Equal(3, racing.Commits);
        Assert.Equal(CaseStatus.InProgress, stored.Status);
        Assert.Equal("agent-rival", stored.Owner);
        Assert.Equal(3, stored.Version);

        var refused = await Assert.ThrowsAsync<CaseRuleException>(async () => await service.StartAsync(tenant, serviceCase.Id, "kit-agent", "again"));
        Assert.Equal(CrmErrorCodes.CaseTransitionRefused, refused.ErrorCode);
        AssertSameCase(stored, await service.GetAsync(tenant, serviceCase.Id));
    }

    /// <summary>
    /// The SLA sweep through the service on the adapter's stores (a round-the-clock policy; Normal: first response 1 h,
    /// Low: 4 h): after 3 h 30 min a Normal case is breached and escalated once, with the breached target in the reason
    /// and its <see cref="CaseEscalated"/> event stored and published once; a Low case is reported at risk with 30 minutes left and not
    /// escalated; a case resolved late is never reported or escalated. A second sweep reports the breach again and
    /// escalates nothing new.
    /// </summary>
    [Fact]
    public virtual async Task Service_SlaSweep_EscalatesABreachOnce_ReportsAtRisk_NeverAResolvedCase()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        var customer = NewCustomer(tenant);
        await Repository(stores).SaveAsync(customer);
        var publisher = new RecordingPublisher();
        var service = SlaService(stores, publisher);
        var breached = await service.OpenAsync(tenant, customer.Id, "No answer yet", "billing", CasePriority.Normal, "kit-agent", slaPolicy: KitSla.Name);
        var atRisk = await service.OpenAsync(tenant, customer.Id, "Low and slow", "billing", CasePriority.Low, "kit-agent", slaPolicy: KitSla.Name);
        var resolved = await service.OpenAsync(tenant, customer.Id, "Answered late", "billing", CasePriority.Normal, "kit-agent", slaPolicy: KitSla.Name);
        var opened = atRisk.OpenedAt;
        await service.StartAsync(tenant, resolved.Id, "kit-agent", "picked up");
        Clock.Advance(Duration.FromHours(2));
        await service.ResolveAsync(tenant, resolved.Id, "kit-agent", "answered");
        Assert.Equal(SlaState.Breached, (await service.EvaluateSlaAsync(tenant, resolved.Id))!.Value.FirstResponse.State);

        Clock.Reset(opened + Duration.FromMinutes(210));
        var first = (await service.SweepSlaAsync(tenant).ToListAsync()).ToDictionary(a => a.CaseId);
        Assert.Equal(2, first.Count);
        Assert.True(first[breached.Id].IsBreached);
        var escalation = Assert.Single(first[breached.Id].Escalations);
        Assert.Equal((1, CaseService.FirstResponseBreachedReason, CaseService.SystemActor), (escalation.Level, escalation.Reason, escalation.Actor));
        var risk = first[atRisk.Id];
        Assert.False(risk.IsBreached);
        Assert.Equal(SlaState.AtRisk, risk.Evaluation.FirstResponse.State);
        Assert.Equal(opened + Duration.FromHours(4), risk.Evaluation.FirstResponse.DueAt);
        Assert.Equal(opened + Duration.FromHours(4) - risk.EvaluatedAt, risk.Evaluation.FirstResponse.Remaining);
        Assert.InRange(risk.Evaluation.FirstResponse.Remaining, Duration.FromMinutes(29), Duration.FromMinutes(30));
        Assert.Empty(risk.Escalations);

        var second = await service.SweepSlaAsync(tenant).ToListAsync();
        Assert.Equal(first.Keys.ToHashSet(), second.Select(a => a.CaseId).ToHashSet());
        Assert.All(second, a => Assert.Empty(a.Escalations));
        var stored = await service.GetAsync(tenant, breached.Id);
        Assert.Equal([escalation], stored.Escalations);
        Assert.Equal(0, (await service.GetAsync(tenant, atRisk.Id)).EscalationLevel);
        Assert.Equal(0, (await service.GetAsync(tenant, resolved.Id)).EscalationLevel);
        Assert.Equal(escalation, Assert.IsType<CaseEscalated>(Assert.Single(publisher.Published, e => e is CaseEscalated { } raised && raised.CaseId == breached.Id)).Escalation);
        Assert.Single(publisher.Published, e => e is CaseEscalated);
    }

    /// <summary>The SLA sweep of one tenant neither reports nor escalates another tenant's breached case.</summary>
    [Fact]
    public virtual async Task Service_SlaSweep_IsTenantIsolated()
    {
        await using var stores = await CreateStoresAsync();
        var (tenantA, tenantB) = (NewTenant(), NewTenant());
        var (customerA, customerB) = (NewCustomer(tenantA), NewCustomer(tenantB));
        await Repository(stores).SaveAsync(customerA);
        await Repository(stores).SaveAsync(customerB);
        var publisher = new RecordingPublisher();
        var service = SlaService(stores, publisher);
        var ours = await service.OpenAsync(tenantA, customerA.Id, "Ours", "billing", CasePriority.Normal, "kit-agent", slaPolicy: KitSla.Name);
        var theirs = await service.OpenAsync(tenantB, customerB.Id, "Theirs", "billing", CasePriority.Normal, "kit-agent", slaPolicy: KitSla.Name);
        Clock.Advance(Duration.FromHours(2));

        var alert = Assert.Single(await service.SweepSlaAsync(tenantA).ToListAsync());
        Assert.Equal(ours.Id, alert.CaseId);
        Assert.Single(alert.Escalations);
        Assert.Equal(0, (await service.GetAsync(tenantB, theirs.Id)).EscalationLevel);
        Assert.Equal(ours.Id, Assert.IsType<CaseEscalated>(Assert.Single(publisher.Published, e => e is CaseEscalated)).CaseId);
        Assert.Equal(theirs.Id, Assert.Single(await service.SweepSlaAsync(tenantB).ToListAsync()).CaseId);
    }

    /// <summary>Bad arguments fail fast naming the parameter; a cancelled token cancels every call and stores nothing.</summary>
    [Fact]
    public virtual async Task BadArguments_AndCancellation_AreRefused()
    {
        await using var stores = await CreateStoresAsync();
        var tenant = NewTenant();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Cases(stores).PageAsync(tenant, null, 0, default));
        Assert.Equal("limit", (await Assert.ThrowsAsync<InputLimitExceededException>(async () => await Cases(stores).PageByCustomerAsync(tenant, CustomerId.New(), null, StoreLimits.MaxPageSize + 1, default))).ParamName);
        Assert.Equal("limit", (await Assert.ThrowsAsync<InputLimitExceededException>(async () => await Cases(stores).PageByStatusAsync(tenant, CaseStatus.New, null, StoreLimits.MaxPageSize + 1, default))).ParamName);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Cases(stores).PageByStatusAsync(tenant, (CaseStatus)99, null, 10, default));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Cases(stores).CommitAsync(null!, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Cases(stores).FindAsync(default, CaseId.New(), default));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var serviceCase = NewCase(tenant, CustomerId.New());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Cases(stores).CommitAsync(CaseCommit.Create(serviceCase), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Cases(stores).FindAsync(tenant, serviceCase.Id, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Cases(stores).PageAsync(tenant, null, 10, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Cases(stores).PageByStatusAsync(tenant, CaseStatus.New, null, 10, cancelled.Token));
        Assert.Null(await Cases(stores).FindAsync(tenant, serviceCase.Id, default));
        Assert.Empty(await stores.Outbox.ListPendingAsync(tenant, 10, default));
    }

    /// <summary>Asserts two cases hold the same state, field by field.</summary>
    protected static void AssertSameCase(ServiceCase expected, ServiceCase? actual)
    {
        Preconditions.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.CustomerId, actual.CustomerId);
        Assert.Equal(expected.Subject, actual.Subject);
        Assert.Equal(expected.Category, actual.Category);
        Assert.Equal(expected.Priority, actual.Priority);
        Assert.Equal(expected.Owner, actual.Owner);
        Assert.Equal(expected.OriginTouchpointId, actual.OriginTouchpointId);
        Assert.Equal(expected.IsComplaint, actual.IsComplaint);
        Assert.Equal(expected.SlaPolicy, actual.SlaPolicy);
        Assert.Equal(expected.Touchpoints, actual.Touchpoints);
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(expected.Escalations, actual.Escalations);
        Assert.Equal(expected.FirstResponseAt, actual.FirstResponseAt);
        Assert.Equal(expected.Resolution, actual.Resolution);
        Assert.Equal(expected.MergedInto, actual.MergedInto);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Version, actual.Version);
    }

    /// <summary>A stored customer who has bought once (a first-time customer), so the complaint and negative-feedback rules apply.</summary>
    private async Task<Customers.Customer> BuyingCustomerAsync(CrmStores stores, TenantId tenant)
    {
        var customer = NewCustomer(tenant);
        await Repository(stores).SaveAsync(customer);
        await Ingestion(stores).RecordAsync(tenant, Contact(customer.Id, TouchpointKind.Purchase, "purchase-" + customer.Id));
        return customer;
    }

    private NewTouchpoint Contact(CustomerId customer, TouchpointKind kind, string key) => new()
    {
        CustomerId = customer,
        Channel = new ChannelId("email"),
        Direction = InteractionDirection.Inbound,
        Function = CrmFunction.Service,
        Kind = kind,
        OccurredAt = Clock.GetCurrentInstant(),
        Source = new ExternalIdentifier("kit", key + "-" + customer),
    };

    private static Task<List<CaseId>> WalkAsync(Func<CaseId?, CancellationToken, ValueTask<IReadOnlyList<ServiceCase>>> page, int limit)
        => KitPaging.WalkAsync(page, static item => item.Id, limit);

    /// <summary>A store that runs an action (another writer) just before the next commit reaches the store under test.</summary>
    private sealed class RacingCaseStore(ICaseStore inner) : ICaseStore
    {
        public Func<Task>? BeforeNextCommit { get; set; }

        public int Commits { get; private set; }

        public ValueTask<ServiceCase?> FindAsync(TenantId tenantId, CaseId caseId, CancellationToken cancellationToken) => inner.FindAsync(tenantId, caseId, cancellationToken);

        public ValueTask<IReadOnlyList<ServiceCase>> PageAsync(TenantId tenantId, CaseId? after, int limit, CancellationToken cancellationToken) => inner.PageAsync(tenantId, after, limit, cancellationToken);

        public ValueTask<IReadOnlyList<ServiceCase>> PageByCustomerAsync(TenantId tenantId, CustomerId customerId, CaseId? after, int limit, CancellationToken cancellationToken)
            => inner.PageByCustomerAsync(tenantId, customerId, after, limit, cancellationToken);

        public ValueTask<IReadOnlyList<ServiceCase>> PageByStatusAsync(TenantId tenantId, CaseStatus status, CaseId? after, int limit, CancellationToken cancellationToken)
            => inner.PageByStatusAsync(tenantId, status, after, limit, cancellationToken);

        public async ValueTask CommitAsync(CaseCommit commit, CancellationToken cancellationToken)
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
}
