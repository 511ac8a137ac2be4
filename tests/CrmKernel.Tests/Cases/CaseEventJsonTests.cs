using CrmKernel.Cases;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using Xunit;

namespace CrmKernel.Tests.Cases;

/// <summary>Every case event survives the outbox: written as an envelope and read back, it is the same event with the same id.</summary>
public sealed class CaseEventJsonTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 29, 0, 30); // the London clock change: instants are stored exactly

    [Fact]
    public void EveryEvent_RoundTripsThroughItsEnvelope()
    {
        var customer = CustomerId.New();
        var origin = TouchpointId.New();
        var c = ServiceCase.Open(new TenantId("json"), CaseId.New(), customer, "Subject", "billing", CasePriority.Low, origin, true, "gold", T0, "agent");
        var other = ServiceCase.Open(new TenantId("json"), CaseId.New(), customer, "Other", "billing", CasePriority.Low, TouchpointId.New(), false, null, T0, "agent");
        c.Assign("agent-1", T0.PlusNanoseconds(1));
        c.RecordResponse(T0.PlusNanoseconds(2));
        c.AttachTouchpoint(TouchpointId.New(), T0.PlusNanoseconds(3));
        c.Start(T0.PlusNanoseconds(4), "agent", "go");
        c.Escalate(T0.PlusNanoseconds(5), "agent", "vip", CasePriority.Urgent);
        c.Resolve(T0.PlusNanoseconds(6), "agent", "fixed", SatisfactionScore.Create(SatisfactionScale.Ces, 2));
        c.Reopen(Duration.FromDays(7), T0.PlusNanoseconds(7), "customer", "again");
        ServiceCase.Merge(other, c, T0.PlusNanoseconds(8), "agent", "duplicate");

        CaseEvent[] raised = [.. c.PendingEvents, .. other.PendingEvents];
        Assert.Equal(
            [typeof(CaseOpened), typeof(CaseAssigned), typeof(CaseResponded), typeof(CaseTouchpointAttached), typeof(CaseStatusChanged), typeof(CaseEscalated), typeof(CaseResolved), typeof(CaseReopened), typeof(CaseDuplicateAbsorbed), typeof(CaseOpened), typeof(CaseMerged)],
            raised.Select(e => e.GetType()));
        foreach (var e in raised)
        {
            var back = Assert.IsAssignableFrom<CaseEvent>(CaseJson.FromEnvelope(CaseJson.ToEnvelope(e, 3)));
            Assert.Equal(Describe(e), Describe(back));
            Assert.Equal((e.EventId, e.TenantId, e.CaseId, e.CustomerId, e.OccurredAt), (back.EventId, back.TenantId, back.CaseId, back.CustomerId, back.OccurredAt));
        }
    }

    private static string Describe(CaseEvent e) => e switch
    {
        CaseOpened o => $"opened {o.Subject} {o.Category} {o.Priority} {o.OriginTouchpointId} {o.IsComplaint} {o.SlaPolicy} {Describe(o.Change)}",
        CaseStatusChanged s => $"status {Describe(s.Change)}",
        CaseResolved r => $"resolved {Describe(r.Change)} {r.Resolution.At} {r.Resolution.Note} {r.Resolution.Satisfaction}",
        CaseReopened r => $"reopened {Describe(r.Change)}",
        CaseAssigned a => $"assigned {a.Owner}",
        CaseResponded r => $"responded {r.IsFirstResponse}",
        CaseTouchpointAttached t => $"attached {t.TouchpointId}",
        CaseEscalated x => $"escalated {x.Escalation.Level} {x.Escalation.Priority} {x.Escalation.At} {x.Escalation.Actor} {x.Escalation.Reason}",
        CaseMerged m => $"merged {m.SurvivorId} {Describe(m.Change)}",
        CaseDuplicateAbsorbed d => $"absorbed {d.DuplicateId} {string.Join(",", d.TouchpointIds)}",
        _ => throw new InvalidOperationException(e.GetType().Name),
    };

    private static string Describe(CaseStatusChange c) => $"{c.FromStatus}->{c.ToStatus} {c.At} {c.Actor} {c.Reason}";
}
