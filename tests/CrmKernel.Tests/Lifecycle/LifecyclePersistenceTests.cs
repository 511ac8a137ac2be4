using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Storage;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;
using static CrmKernel.Lifecycle.DefaultLifecycleModel;
using static CrmKernel.Tests.Lifecycle.LifecycleTestData;

namespace CrmKernel.Tests.Lifecycle;

public sealed class LifecyclePersistenceTests
{
    private static Customer Walked()
        => Walk(NewCustomer(), (TouchpointKind.Purchase, Day(1), null), (TouchpointKind.Purchase, Day(2), null), (TouchpointKind.Complaint, Day(3), null));

    private static CustomerSnapshot With(CustomerSnapshot s, LifecycleStage? stage, IReadOnlyList<LifecycleTransitionRecord> history) => new()
    {
        Id = s.Id,
        TenantId = s.TenantId,
        Profile = s.Profile,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        Version = s.Version,
        LifecycleStage = stage,
        LifecycleHistory = history,
        LifecycleFacts = s.LifecycleFacts,
    };

    [Fact]
    public void Snapshot_RoundTripsTheLifecycle()
    {
        var customer = Walked();
        var rebuilt = Customer.Rehydrate(customer.ToSnapshot(), new FakeClock(Start));
        Assert.Equal(customer.Lifecycle.History, rebuilt.Lifecycle.History);
        Assert.Equal(customer.Lifecycle.Facts, rebuilt.Lifecycle.Facts);
        Assert.Equal(Dissatisfied, rebuilt.Lifecycle.Stage);
        Assert.Empty(rebuilt.PendingEvents);
    }

    [Fact]
    public void Rehydrate_AHistoryThatDoesNotChain_FailsLoudly()
    {
        var s = Walked().ToSnapshot();
        AssertCorrupt(With(s, s.LifecycleStage, [s.LifecycleHistory[0], s.LifecycleHistory[2]]), "the lifecycle history does not chain in time order");
    }

    [Fact]
    public void Rehydrate_AHistoryOutOfTimeOrder_FailsLoudly()
    {
        var s = Walked().ToSnapshot();
        var h = s.LifecycleHistory;
        var early = LifecycleTransitionRecord.Create(h[1].From, h[1].To, h[0].At - Duration.Epsilon, h[1].Rule, h[1].Cause, h[1].TouchpointId, h[1].Command, h[1].Reason, h[1].Actor);
        AssertCorrupt(With(s, s.LifecycleStage, [h[0], early, h[2]]), "the lifecycle history does not chain in time order");
    }

    [Fact]
    public void Rehydrate_AStageThatIsNotWhereTheHistoryEnds_FailsLoudly()
    {
        var s = Walked().ToSnapshot();
        AssertCorrupt(With(s, RepeatCustomer, s.LifecycleHistory), "the lifecycle stage is not the one its history replays to");
        AssertCorrupt(With(s, Dissatisfied, []), "the lifecycle stage is not the one its history replays to");
        AssertCorrupt(With(s, null, s.LifecycleHistory), "the lifecycle stage is not the one its history replays to");
    }

    [Fact]
    public void Rehydrate_ATransitionBeforeTheCustomerWasCreated_FailsLoudly()
    {
        var s = Walked().ToSnapshot();
        var early = LifecycleTransitionRecord.Create(Prospect, FirstTimeCustomer, s.CreatedAt - Duration.Epsilon, "first-purchase", LifecycleTriggerKind.Touchpoint, TouchpointId.New(), null, "r", "system");
        AssertCorrupt(With(s, FirstTimeCustomer, [early]), "a lifecycle transition is before the customer was created");
    }

    [Fact]
    public void Rehydrate_AMissingHistoryOrTransition_FailsLoudly()
    {
        var s = Walked().ToSnapshot();
        AssertCorrupt(With(s, s.LifecycleStage, null!), "the lifecycle history is missing");
        AssertCorrupt(With(s, s.LifecycleStage, [s.LifecycleHistory[0], null!, s.LifecycleHistory[2]]), "a lifecycle transition is missing");
    }

    [Fact]
    public void StageChangedEvent_RoundTripsThroughTheOutboxJson()
    {
        var clock = new FakeClock(Start);
        var customer = Walk(NewCustomer(clock), (TouchpointKind.Purchase, Day(1), null));
        clock.Reset(Day(2));
        customer.ApplyLifecycleCommand(Model, MarkFormer, "agent \"7\"", "asked, politely");
        foreach (var e in customer.PendingEvents.OfType<LifecycleStageChanged>())
        {
            var envelope = CustomerEventJson.ToEnvelope(e, 3);
            Assert.Equal(nameof(LifecycleStageChanged), envelope.EventType);
            var read = Assert.IsType<LifecycleStageChanged>(CustomerEventJson.FromEnvelope(envelope));
            Assert.Equal(e.Transition, read.Transition);
            Assert.Equal(e.EventId, read.EventId);
            Assert.Equal(e.CustomerId, read.CustomerId);
            Assert.Equal(e.OccurredAt, read.OccurredAt);
        }
    }

    [Fact]
    public void StageChangedEvent_WithACorruptPayload_IsInvalidStoredState()
    {
        var customer = Walk(NewCustomer(), (TouchpointKind.Purchase, Day(1), null));
        var good = CustomerEventJson.ToEnvelope(customer.PendingEvents.OfType<LifecycleStageChanged>().Single(), 1);
        var bad = new CrmEventEnvelope(good.EventId, good.TenantId, good.AggregateType, good.AggregateId, 1, good.EventType, good.OccurredAt, good.Payload.Replace("first-time-customer", "prospect", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidStoredStateException>(() => CustomerEventJson.FromEnvelope(bad));
        Assert.Equal(CrmErrorCodes.InvalidStoredState, e.ErrorCode);
    }

    private static void AssertCorrupt(CustomerSnapshot snapshot, string reason)
    {
        var e = Assert.Throws<InvalidStoredStateException>(() => Customer.Rehydrate(snapshot, new FakeClock(Start)));
        Assert.Equal(CrmErrorCodes.InvalidStoredState, e.ErrorCode);
        Assert.Contains(snapshot.Id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.EndsWith(": " + reason, e.Message, StringComparison.Ordinal);
    }
}
