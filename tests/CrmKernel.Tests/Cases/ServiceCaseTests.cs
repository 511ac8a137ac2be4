using CrmKernel.Cases;
using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Cases;

/// <summary>The rules of <see cref="ServiceCase"/>, each guard on its own, pinned on hand-worked examples.</summary>
public sealed class ServiceCaseTests
{
    private static readonly TenantId Tenant = new("cases");
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 9, 0);
    private static readonly Duration Week = Duration.FromDays(7);

    private static ServiceCase NewCase(CustomerId? customer = null, TouchpointId? origin = null, TenantId? tenant = null)
        => ServiceCase.Open(tenant ?? Tenant, CaseId.New(), customer ?? CustomerId.New(), "  Refund not received ", "Billing Refund", CasePriority.Normal, origin, origin is not null, "Standard", T0, "agent");

    private static Instant H(int hours) => T0 + Duration.FromHours(hours);

    private static void Refused(string code, Action act) => Assert.Equal(code, Assert.ThrowsAny<CaseRuleException>(act).ErrorCode);

    [Fact]
    public void Open_NormalisesTexts_AttachesTheOrigin_AndRaisesOpened()
    {
        var origin = TouchpointId.New();
        var c = NewCase(origin: origin);
        Assert.Equal("Refund not received", c.Subject);
        Assert.Equal("billing-refund", c.Category);
        Assert.Equal("standard", c.SlaPolicy);
        Assert.Equal(CaseStatus.New, c.Status);
        Assert.True(c.IsActive);
        Assert.True(c.IsComplaint);
        Assert.Equal([origin], c.Touchpoints);
        Assert.Equal(1, c.ContactCount);
        Assert.Equal(T0, c.OpenedAt);
        Assert.Null(c.Owner);
        Assert.Null(c.FirstResponseAt);
        var opened = Assert.IsType<CaseOpened>(Assert.Single(c.PendingEvents));
        Assert.Equal(origin, opened.OriginTouchpointId);
        Assert.Equal(new CaseStatusChange(null, CaseStatus.New, T0, "agent", "opened"), opened.Change);
    }

    [Fact]
    public void Open_RefusesBadArguments()
    {
        Assert.Throws<ArgumentException>(() => ServiceCase.Open(Tenant, CaseId.New(), CustomerId.New(), " ", "billing", CasePriority.Normal, null, false, null, T0, "agent"));
        Assert.Throws<ArgumentException>(() => ServiceCase.Open(Tenant, CaseId.New(), CustomerId.New(), "Subject", "billing!", CasePriority.Normal, null, false, null, T0, "agent"));
        Assert.Throws<ArgumentException>(() => ServiceCase.Open(Tenant, CaseId.New(), CustomerId.New(), "Subject", "billing", CasePriority.Normal, null, false, "not a slug!", T0, "agent"));
        Assert.ThrowsAny<ArgumentException>(() => ServiceCase.Open(Tenant, CaseId.New(), CustomerId.New(), "Subject", "billing", (CasePriority)9, null, false, null, T0, "agent"));
        Assert.ThrowsAny<ArgumentException>(() => ServiceCase.Open(Tenant, default, CustomerId.New(), "Subject", "billing", CasePriority.Normal, null, false, null, T0, "agent"));
        Assert.ThrowsAny<ArgumentException>(() => ServiceCase.Open(Tenant, CaseId.New(), CustomerId.New(), "Subject", "billing", CasePriority.Normal, default(TouchpointId), false, null, T0, "agent"));
    }

    [Fact]
    public void Workflow_FollowsNewInProgressWaitingResolvedClosed_AndRecordsIntervals()
    {
        var c = NewCase();
        c.Start(H(1), "agent", "picked up");
        c.WaitOnCustomer(H(2), "agent", "asked for the order number");
        c.Resume(H(5), "agent", "customer answered");
        c.WaitOnCustomer(H(6), "agent", "asked for a photo");
        var resolution = c.Resolve(H(8), "agent", "refund issued", SatisfactionScore.Create(SatisfactionScale.Csat, 4));
        c.Close(H(200), "agent", "window over");

        Assert.Equal(CaseStatus.Closed, c.Status);
        Assert.False(c.IsActive);
        Assert.Equal(H(8), c.ResolvedAt);
        Assert.Equal(H(200), c.ClosedAt);
        Assert.Equal(resolution, c.Resolution);
        Assert.Equal([new CaseInterval(H(2), H(5)), new CaseInterval(H(6), H(8))], c.ResolutionClockPauses);
        Assert.Equal([new CaseInterval(H(1), H(2)), new CaseInterval(H(5), H(6))], c.HandlingIntervals);
        Assert.Equal([H(8)], c.ResolvedInstants);
        Assert.Equal(7, c.History.Count);
        Assert.Equal(7, c.PendingEvents.Count);
    }

    [Fact]
    public void OpenIntervals_HaveNoEnd()
    {
        var c = NewCase();
        c.Start(H(1), "agent", "picked up");
        c.WaitOnCustomer(H(2), "agent", "asked");
        Assert.Equal([new CaseInterval(H(2), null)], c.ResolutionClockPauses);
        Assert.Equal([new CaseInterval(H(1), H(2))], c.HandlingIntervals);
        Assert.Null(c.ResolvedAt);
    }

    [Fact]
    public void StepsTheStatusDoesNotAllow_AreRefused_AndChangeNothing()
    {
        var c = NewCase();
        Refused(CrmErrorCodes.CaseTransitionRefused, () => c.WaitOnCustomer(H(1), "agent", "x"));
        Refused(CrmErrorCodes.CaseTransitionRefused, () => c.Resume(H(1), "agent", "x"));
        Refused(CrmErrorCodes.CaseTransitionRefused, () => c.Resolve(H(1), "agent", null, null));
        Refused(CrmErrorCodes.CaseTransitionRefused, () => c.Close(H(1), "agent", "x"));
        Refused(CrmErrorCodes.CaseCannotReopen, () => c.Reopen(Week, H(1), "agent", "x"));
        c.Start(H(1), "agent", "go");
        Refused(CrmErrorCodes.CaseTransitionRefused, () => c.Start(H(2), "agent", "again"));
        Refused(CrmErrorCodes.CaseTransitionRefused, () => c.Resume(H(2), "agent", "x"));
        c.Resolve(H(2), "agent", null, null);
        Refused(CrmErrorCodes.CaseTransitionRefused, () => c.Resolve(H(3), "agent", null, null));
        Refused(CrmErrorCodes.CaseTransitionRefused, () => c.WaitOnCustomer(H(3), "agent", "x"));
        c.Close(H(3), "agent", "done");
        Refused(CrmErrorCodes.CaseTransitionRefused, () => c.Close(H(4), "agent", "x"));
        Refused(CrmErrorCodes.CaseCannotReopen, () => c.Reopen(Week, H(4), "agent", "closed is final"));
        Assert.Equal(4, c.History.Count);
        Assert.Equal(4, c.PendingEvents.Count);
    }

    [Fact]
    public void Reopen_IsAllowedUpToTheEndOfTheWindow_AndNotAfter()
    {
        var c = NewCase();
        c.Start(H(1), "agent", "go");
        c.Resolve(H(2), "agent", "fixed", null);
        c.Reopen(Week, H(2) + Week, "customer", "broke again"); // exactly at the end: allowed
        Assert.Equal(CaseStatus.InProgress, c.Status);
        Assert.Equal(1, c.ReopenCount);
        Assert.Equal([H(2) + Week], c.ReopenedInstants);
        Assert.Null(c.ResolvedAt);
        Assert.Equal(H(2), c.Resolution!.At); // kept until resolved again

        var at = H(2) + Week + Duration.FromHours(1);
        c.Resolve(at, "agent", "fixed again", null);
        Refused(CrmErrorCodes.CaseCannotReopen, () => c.Reopen(Week, at + Week + Duration.FromTicks(1), "customer", "too late"));
        Assert.Equal(CaseStatus.Resolved, c.Status);
        Assert.Equal(2, c.ResolvedInstants.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Reopen(Duration.FromDays(-1), at, "customer", "x"));
    }

    [Fact]
    public void ActiveOnlyCommands_AreRefusedOnResolvedCases()
    {
        var c = NewCase();
        c.Start(H(1), "agent", "go");
        c.Resolve(H(2), "agent", null, null);
        Refused(CrmErrorCodes.CaseNotActive, () => c.Assign("agent-2", H(3)));
        Refused(CrmErrorCodes.CaseNotActive, () => c.RecordResponse(H(3)));
        Refused(CrmErrorCodes.CaseNotActive, () => c.AttachTouchpoint(TouchpointId.New(), H(3)));
        Refused(CrmErrorCodes.CaseNotActive, () => c.Escalate(H(3), "agent", "late"));
        Assert.Equal(3, c.PendingEvents.Count);
    }

    [Fact]
    public void FirstResponse_IsTheFirstOne_AndLaterResponsesKeepIt()
    {
        var c = NewCase();
        Assert.True(c.RecordResponse(H(1)));
        Assert.False(c.RecordResponse(H(2)));
        Assert.Equal(H(1), c.FirstResponseAt);
        Assert.Equal([true, false], c.PendingEvents.OfType<CaseResponded>().Select(e => e.IsFirstResponse));
    }

    [Fact]
    public void Assign_RefusesTheCurrentOwner()
    {
        var c = NewCase();
        c.Assign(" agent-1 ", H(1));
        Assert.Equal("agent-1", c.Owner);
        Assert.Throws<ArgumentException>(() => c.Assign("agent-1", H(2)));
    }

    [Fact]
    public void Attach_RefusesDuplicates()
    {
        var origin = TouchpointId.New();
        var c = NewCase(origin: origin);
        Refused(CrmErrorCodes.CaseTouchpointAlreadyAttached, () => c.AttachTouchpoint(origin, H(1)));
        var next = TouchpointId.New();
        c.AttachTouchpoint(next, H(1));
        Assert.Equal([origin, next], c.Touchpoints);
    }

    [Fact]
    public void Escalate_RaisesThePriority_NeverLowersIt_AndStopsAtTheTopLevel()
    {
        var c = NewCase();
        Assert.Equal(CasePriority.High, c.Escalate(H(1), "agent", "angry", CasePriority.High).Priority);
        Assert.Equal(CasePriority.High, c.Escalate(H(2), "lead", "still angry", CasePriority.Low).Priority);
        Assert.Equal(CasePriority.High, c.Escalate(H(3), "lead", "no change").Priority);
        c.Escalate(H(4), "lead", "x");
        c.Escalate(H(5), "lead", "y");
        Assert.Equal([1, 2, 3, 4, 5], c.Escalations.Select(e => e.Level));
        Refused(CrmErrorCodes.CaseLimitExceeded, () => c.Escalate(H(6), "lead", "z", CasePriority.Urgent));
        Assert.Equal(CasePriority.High, c.Priority);
        Assert.ThrowsAny<ArgumentException>(() => c.Escalate(H(6), "lead", "z", (CasePriority)9));
    }

    [Fact]
    public void Instants_BeforeTheLastChange_AreRefused()
    {
        var c = NewCase();
        c.Start(H(2), "agent", "go");
        Assert.Throws<ArgumentException>(() => c.WaitOnCustomer(H(1), "agent", "x"));
        Assert.Throws<ArgumentException>(() => c.RecordResponse(H(1)));
        Assert.Throws<ArgumentException>(() => c.Assign("a", H(1)));
        Assert.Equal(2, c.History.Count);
    }

    [Fact]
    public void Merge_ClosesTheDuplicate_AndMovesItsTouchpointsToTheSurvivor()
    {
        var customer = CustomerId.New();
        var shared = TouchpointId.New();
        var survivor = NewCase(customer, shared);
        var duplicate = NewCase(customer, TouchpointId.New());
        duplicate.AttachTouchpoint(shared, H(1));
        duplicate.Start(H(1), "agent", "go");

        ServiceCase.Merge(duplicate, survivor, H(2), "agent", "same refund");

        Assert.Equal(CaseStatus.Closed, duplicate.Status);
        Assert.Equal(survivor.Id, duplicate.MergedInto);
        Assert.Null(duplicate.ResolvedAt);
        Assert.Equal(H(2), duplicate.ClosedAt);
        Assert.Equal([shared, duplicate.Touchpoints[0]], survivor.Touchpoints);
        Assert.Equal(survivor.Id, Assert.IsType<CaseMerged>(duplicate.PendingEvents[^1]).SurvivorId);
        Assert.Equal([duplicate.Touchpoints[0]], Assert.IsType<CaseDuplicateAbsorbed>(survivor.PendingEvents[^1]).TouchpointIds);
        Refused(CrmErrorCodes.CaseTransitionRefused, () => duplicate.Close(H(3), "agent", "x"));
    }

    [Fact]
    public void Merge_IntoItselfAClosedCaseOrAcrossCustomersOrTenants_IsRefused()
    {
        var customer = CustomerId.New();
        var a = NewCase(customer);
        Refused(CrmErrorCodes.CaseMergeRefused, () => ServiceCase.Merge(a, a, H(1), "agent", "self"));
        Refused(CrmErrorCodes.CaseMergeRefused, () => ServiceCase.Merge(a, NewCase(), H(1), "agent", "other customer"));
        Refused(CrmErrorCodes.CaseMergeRefused, () => ServiceCase.Merge(a, NewCase(customer, tenant: new TenantId("other")), H(1), "agent", "other tenant"));
        var closed = NewCase(customer);
        closed.Start(H(1), "agent", "go");
        closed.Resolve(H(1), "agent", null, null);
        closed.Close(H(1), "agent", "done");
        Refused(CrmErrorCodes.CaseMergeRefused, () => ServiceCase.Merge(a, closed, H(2), "agent", "into closed"));
        Refused(CrmErrorCodes.CaseMergeRefused, () => ServiceCase.Merge(closed, a, H(2), "agent", "closed duplicate"));
        Assert.Single(a.PendingEvents);
        Assert.Equal(CaseStatus.New, a.Status);
    }

    [Fact]
    public void Merge_RefusesToOverfillTheSurvivor()
    {
        var customer = CustomerId.New();
        var survivor = NewCase(customer);
        for (var i = 0; i < ServiceCase.MaxTouchpoints; i++)
        {
            survivor.AttachTouchpoint(TouchpointId.New(), H(1));
        }

        var duplicate = NewCase(customer, TouchpointId.New());
        Refused(CrmErrorCodes.CaseLimitExceeded, () => ServiceCase.Merge(duplicate, survivor, H(2), "agent", "dup"));
        Assert.Equal(CaseStatus.New, duplicate.Status);
        Assert.Equal(ServiceCase.MaxTouchpoints, survivor.Touchpoints.Count);
    }

    [Fact]
    public void Document_RoundTripsEveryField_AndRehydrateRejectsImpossibleHistories()
    {
        var c = NewCase(origin: TouchpointId.New());
        c.Assign("agent-1", H(1));
        c.Start(H(1), "agent", "go");
        c.RecordResponse(H(1));
        c.Escalate(H(2), "agent", "vip", CasePriority.Urgent);
        c.Resolve(H(3), "agent", "fixed", SatisfactionScore.Create(SatisfactionScale.Nps, 9));
        var document = CaseCommit.Create(c).Writes[0].Document;
        var back = CaseDocuments.Read(Tenant, c.Id, document);
        Assert.Equal(c.History, back.History);
        Assert.Equal(c.Resolution, back.Resolution);
        Assert.Equal(c.Escalations, back.Escalations);
        Assert.Equal(c.Touchpoints, back.Touchpoints);
        Assert.Equal((c.Owner, c.FirstResponseAt, c.Priority, c.SlaPolicy, c.IsComplaint), (back.Owner, back.FirstResponseAt, back.Priority, back.SlaPolicy, back.IsComplaint));
        Assert.Equal(1, back.Version);
        Assert.Throws<InvalidStoredStateException>(() => CaseDocuments.Read(Tenant, CaseId.New(), document));
        Assert.Throws<InvalidStoredStateException>(() => CaseDocuments.Read(Tenant, c.Id, c.CustomerId, "New", document));
        Assert.Throws<InvalidStoredStateException>(() => CaseDocuments.Read(Tenant, c.Id, document.Replace("\"Resolved\"", "\"Closed\"", StringComparison.Ordinal)));

        CaseStatusChange[] skipping = [new(null, CaseStatus.New, T0, "a", "opened"), new(CaseStatus.New, CaseStatus.Resolved, H(1), "a", "skipped work")];
        Assert.Throws<ArgumentException>(() => Rehydrate(skipping, null));
        CaseStatusChange[] backwards = [new(null, CaseStatus.New, T0, "a", "opened"), new(CaseStatus.New, CaseStatus.InProgress, T0 - Duration.FromHours(1), "a", "before")];
        Assert.Throws<ArgumentException>(() => Rehydrate(backwards, null));
        CaseStatusChange[] resolved = [new(null, CaseStatus.New, T0, "a", "opened"), new(CaseStatus.New, CaseStatus.InProgress, H(1), "a", "go"), new(CaseStatus.InProgress, CaseStatus.Resolved, H(2), "a", "resolved")];
        Assert.Throws<ArgumentException>(() => Rehydrate(resolved, null));
        Assert.Throws<ArgumentException>(() => Rehydrate(resolved, new CaseResolution(H(1), null, null)));
        Assert.Equal(CaseStatus.Resolved, Rehydrate(resolved, new CaseResolution(H(2), null, null)).Status);
        CaseStatusChange[] mergeClosed = [new(null, CaseStatus.New, T0, "a", "opened"), new(CaseStatus.New, CaseStatus.Closed, H(1), "a", "merged")];
        Assert.Throws<ArgumentException>(() => Rehydrate(mergeClosed, null));
        Assert.Equal(CaseStatus.Closed, Rehydrate(mergeClosed, null, CaseId.New()).Status);
    }

    [Fact]
    public void Commit_TakesOneOrTwoDistinctCasesOfOneTenant()
    {
        var a = NewCase();
        Assert.ThrowsAny<ArgumentException>(() => CaseCommit.Create(Array.Empty<ServiceCase>()));
        Assert.ThrowsAny<ArgumentException>(() => CaseCommit.Create([a, a]));
        Assert.ThrowsAny<ArgumentException>(() => CaseCommit.Create([a, NewCase(), NewCase()]));
        Assert.ThrowsAny<ArgumentException>(() => CaseCommit.Create([a, NewCase(tenant: new TenantId("other"))]));
        var commit = CaseCommit.Create([a, NewCase()]);
        Assert.Equal(2, commit.Writes.Count);
        Assert.All(commit.Writes, w => Assert.True(w.IsInsert));
        Assert.Equal(2, commit.Events.Count);
    }

    private static ServiceCase Rehydrate(CaseStatusChange[] history, CaseResolution? resolution, CaseId? mergedInto = null)
        => ServiceCase.Rehydrate(Tenant, CaseId.New(), CustomerId.New(), "Subject", "billing", CasePriority.Normal, null, null, false, null, [], history, [], null, resolution, mergedInto, 1);
}
