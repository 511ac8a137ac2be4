using CrmKernel.Customers;
using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Touchpoints;
using NodaTime;
using NodaTime.Testing;
using Xunit;
using static CrmKernel.Lifecycle.DefaultLifecycleModel;
using static CrmKernel.Tests.Lifecycle.LifecycleTestData;

namespace CrmKernel.Tests.Lifecycle;

public sealed class DefaultLifecycleModelTests
{
    private static readonly TouchpointKind Purchase = TouchpointKind.Purchase;

    [Fact]
    public void NewCustomer_IsInTheInitialStage_WithNoHistory()
    {
        var customer = NewCustomer();
        Assert.Null(customer.Lifecycle.Stage);
        Assert.Equal(Prospect, customer.LifecycleStageIn(Model));
        Assert.Empty(customer.Lifecycle.History);
        Assert.Equal(LifecycleFacts.Empty, customer.Lifecycle.Facts);
        Assert.Equal(Prospect, Model.InitialStage);
        Assert.Equal(9, Model.Stages.Count);
    }

    [Fact]
    public void FirstPurchase_MovesProspectToFirstTimeCustomer_RecordingTheTouchpoint()
    {
        var customer = NewCustomer();
        var touchpoint = Touch(customer, Purchase, Day(1));
        var applied = customer.ApplyTouchpoint(Model, touchpoint);

        var transition = Assert.Single(applied);
        Assert.Equal(Prospect, transition.From);
        Assert.Equal(FirstTimeCustomer, transition.To);
        Assert.Equal(Day(1), transition.At);
        Assert.Equal("first-purchase", transition.Rule);
        Assert.Equal(LifecycleTriggerKind.Touchpoint, transition.Cause);
        Assert.Equal(touchpoint.Id, transition.TouchpointId);
        Assert.Null(transition.Command);
        Assert.Equal(LifecycleTransitionRecord.SystemActor, transition.Actor);
        Assert.Equal(FirstTimeCustomer, customer.Lifecycle.Stage);
        Assert.Equal(1, customer.Lifecycle.Facts.PurchaseCount);
        var changed = Assert.IsType<LifecycleStageChanged>(customer.PendingEvents[^1]);
        Assert.Same(transition, changed.Transition);
        Assert.Equal(Prospect, changed.From);
        Assert.Equal(FirstTimeCustomer, changed.To);
    }

    [Fact]
    public void SecondPurchase_MakesARepeatCustomer()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (Purchase, Day(10), null));
        Assert.Equal(RepeatCustomer, customer.Lifecycle.Stage);
        Assert.Equal("second-purchase", customer.Lifecycle.History[^1].Rule);
    }

    [Fact]
    public void ThirdPurchaseWithinTheWindow_MakesALoyalAdvocate()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (Purchase, Day(100), null), (Purchase, Day(170), null));
        Assert.Equal(LoyalAdvocate, customer.Lifecycle.Stage);
        Assert.Equal("loyal-by-purchases", customer.Lifecycle.History[^1].Rule);
    }

    [Fact]
    public void ThirdPurchaseOutsideTheWindow_StaysRepeat()
    {
        var model = Create(new DefaultLifecycleOptions { LoyaltyWindow = Duration.FromDays(100) });
        var customer = NewCustomer();
        foreach (var day in new[] { 0, 60, 120 })
        {
            customer.ApplyTouchpoint(model, Touch(customer, Purchase, Day(day)));
        }

        Assert.Equal(RepeatCustomer, customer.Lifecycle.Stage);
        customer.ApplyTouchpoint(model, Touch(customer, Purchase, Day(150)));
        Assert.Equal(LoyalAdvocate, customer.Lifecycle.Stage);
    }

    [Fact]
    public void LoyaltyWindow_StartIsExclusive_EndInclusive()
    {
        var model = Create(new DefaultLifecycleOptions { LoyaltyWindow = Duration.FromDays(100), LapseAfter = Duration.FromDays(1000) });
        var exactlyWindow = NewCustomer();
        foreach (var day in new[] { 0, 50, 100 })
        {
            exactlyWindow.ApplyTouchpoint(model, Touch(exactlyWindow, Purchase, Day(day)));
        }

        Assert.Equal(RepeatCustomer, exactlyWindow.Lifecycle.Stage);

        var inside = NewCustomer();
        foreach (var at in new[] { Day(0) + Duration.Epsilon, Day(50), Day(100) })
        {
            inside.ApplyTouchpoint(model, Touch(inside, Purchase, at));
        }

        Assert.Equal(LoyalAdvocate, inside.Lifecycle.Stage);
    }

    [Fact]
    public void Referral_MakesARepeatCustomerALoyalAdvocate_ButNotAFirstTimeCustomer()
    {
        var first = Walk(NewCustomer(), (Purchase, Day(1), null), (TouchpointKind.Referral, Day(2), null));
        Assert.Equal(FirstTimeCustomer, first.Lifecycle.Stage);

        var repeat = Walk(NewCustomer(), (Purchase, Day(1), null), (Purchase, Day(2), null), (TouchpointKind.Referral, Day(3), null));
        Assert.Equal(LoyalAdvocate, repeat.Lifecycle.Stage);
        Assert.Equal("loyal-by-referral", repeat.Lifecycle.History[^1].Rule);
    }

    [Theory]
    [InlineData(9, true)]
    [InlineData(10, true)]
    [InlineData(8, false)]
    public void PromoterNpsFeedback_MakesARepeatCustomerALoyalAdvocate(int nps, bool loyal)
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (Purchase, Day(2), null), (TouchpointKind.Feedback, Day(3), new NpsScore(nps)));
        Assert.Equal(loyal ? LoyalAdvocate : RepeatCustomer, customer.Lifecycle.Stage);
    }

    [Fact]
    public void PositiveCsatFeedback_IsNotAPromoterScore()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (Purchase, Day(2), null), (TouchpointKind.Feedback, Day(3), new CsatScore(5)));
        Assert.Equal(RepeatCustomer, customer.Lifecycle.Stage);
    }

    [Fact]
    public void Complaint_MakesAnyBuyingStageDissatisfied()
    {
        foreach (var purchases in new[] { 1, 2, 3 })
        {
            var customer = NewCustomer();
            for (var i = 0; i < purchases; i++)
            {
                Walk(customer, (Purchase, Day(i), null));
            }

            Walk(customer, (TouchpointKind.Complaint, Day(5), null));
            Assert.Equal(Dissatisfied, customer.Lifecycle.Stage);
            Assert.Equal(1, customer.Lifecycle.Facts.OpenComplaints);
        }
    }

    [Fact]
    public void Complaint_FromAProspect_ChangesNoStage()
    {
        var customer = Walk(NewCustomer(), (TouchpointKind.Complaint, Day(1), null));
        Assert.Null(customer.Lifecycle.Stage);
        Assert.Equal(1, customer.Lifecycle.Facts.OpenComplaints);
    }

    [Theory]
    [InlineData(SatisfactionScale.Csat, 2, true)]
    [InlineData(SatisfactionScale.Csat, 3, false)]
    [InlineData(SatisfactionScale.Nps, 6, true)]
    [InlineData(SatisfactionScale.Nps, 7, false)]
    [InlineData(SatisfactionScale.Ces, 4, true)]
    [InlineData(SatisfactionScale.Ces, 2, false)]
    [InlineData(SatisfactionScale.Ces2, 3, true)]
    [InlineData(SatisfactionScale.Ces2, 5, false)]
    public void NegativeFeedback_ByTheScalesPolarity_MakesACustomerDissatisfied(SatisfactionScale scale, int value, bool dissatisfied)
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (TouchpointKind.Feedback, Day(2), SatisfactionScore.Create(scale, value)));
        Assert.Equal(dissatisfied ? Dissatisfied : FirstTimeCustomer, customer.Lifecycle.Stage);
    }

    [Fact]
    public void Recovery_NeedsTheComplaintResolved_AndALaterPositiveContact()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (TouchpointKind.Complaint, Day(2), null), (TouchpointKind.Feedback, Day(3), new CsatScore(5)));
        Assert.Equal(Dissatisfied, customer.Lifecycle.Stage);

        Walk(customer, (TouchpointKind.Resolution, Day(4), null));
        Assert.Equal(Dissatisfied, customer.Lifecycle.Stage);
        Assert.Equal(0, customer.Lifecycle.Facts.OpenComplaints);

        Walk(customer, (TouchpointKind.Feedback, Day(5), new CsatScore(4)));
        Assert.Equal(Recovered, customer.Lifecycle.Stage);
        Assert.Equal("recovered", customer.Lifecycle.History[^1].Rule);
    }

    [Fact]
    public void Recovery_WithTwoComplaints_NeedsBothResolved()
    {
        var customer = Walk(
            NewCustomer(),
            (Purchase, Day(1), null),
            (TouchpointKind.Complaint, Day(2), null),
            (TouchpointKind.Complaint, Day(3), null),
            (TouchpointKind.Resolution, Day(4), null),
            (TouchpointKind.Feedback, Day(5), new NpsScore(10)));
        Assert.Equal(Dissatisfied, customer.Lifecycle.Stage);
        Walk(customer, (TouchpointKind.Resolution, Day(6), null), (TouchpointKind.Feedback, Day(7), new NpsScore(10)));
        Assert.Equal(Recovered, customer.Lifecycle.Stage);
    }

    [Fact]
    public void Recovered_ThenPurchase_IsARepeatCustomerAgain_AndAComplaintMakesItDissatisfiedAgain()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (TouchpointKind.Feedback, Day(2), new CsatScore(1)), (TouchpointKind.Feedback, Day(3), new CsatScore(5)));
        Assert.Equal(Recovered, customer.Lifecycle.Stage);
        Walk(customer, (Purchase, Day(4), null));
        Assert.Equal(RepeatCustomer, customer.Lifecycle.Stage);
        Walk(customer, (TouchpointKind.Complaint, Day(5), null));
        Assert.Equal(Dissatisfied, customer.Lifecycle.Stage);
    }

    [Fact]
    public void Lapse_AtExactly180Days_NotOneTickBefore()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null));
        var due = Day(1) + Duration.FromDays(180);

        Assert.Empty(customer.EvaluateLifecycle(Model, due - Duration.Epsilon));
        Assert.Equal(FirstTimeCustomer, customer.Lifecycle.Stage);

        var lapse = Assert.Single(customer.EvaluateLifecycle(Model, due));
        Assert.Equal(Lapsed, customer.Lifecycle.Stage);
        Assert.Equal(due, lapse.At);
        Assert.Equal("lapse", lapse.Rule);
        Assert.Equal(LifecycleTriggerKind.Inactivity, lapse.Cause);
        Assert.Null(lapse.TouchpointId);
    }

    [Fact]
    public void Lapse_IsRecordedAtTheInstantItBecameDue_WhenEvaluatedLater()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null));
        var lapse = Assert.Single(customer.EvaluateLifecycle(Model, Day(400)));
        Assert.Equal(Day(181), lapse.At);
        Assert.Empty(customer.EvaluateLifecycle(Model, Day(400)));
        Assert.Empty(customer.EvaluateLifecycle(Model, Day(900)));
    }

    [Fact]
    public void Lapse_IsMeasuredFromTheLastPurchase_NotOtherContacts()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (TouchpointKind.Enquiry, Day(170), null));
        Assert.Single(customer.EvaluateLifecycle(Model, Day(181)));
    }

    [Fact]
    public void Prospect_NeverLapses()
    {
        var customer = NewCustomer();
        Assert.Empty(customer.EvaluateLifecycle(Model, Day(10_000)));
        Assert.Null(customer.Lifecycle.Stage);
    }

    [Fact]
    public void Lapse_IsExactElapsedTime_AcrossDaylightSaving_WhateverTheHomeZone()
    {
        // New York leaves DST on 2026-11-01: 180 days after a purchase in May is 180 × 24 h, which is 23:00 local, not midnight.
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var customer = NewCustomer();
        customer.ChangeHomeTimeZone(zone);
        var purchase = new LocalDateTime(2026, 5, 10, 0, 0).InZoneStrictly(zone).ToInstant();
        Walk(customer, (Purchase, purchase, null));

        var localMidnight180DaysLater = new LocalDateTime(2026, 11, 6, 0, 0).InZoneStrictly(zone).ToInstant();
        var exact = purchase + Duration.FromDays(180);
        Assert.Equal(Duration.FromHours(1), localMidnight180DaysLater - exact);
        Assert.Equal(new LocalDateTime(2026, 11, 5, 23, 0), exact.InZone(zone).LocalDateTime);

        Assert.Empty(customer.EvaluateLifecycle(Model, exact - Duration.Epsilon));
        Assert.Equal(exact, Assert.Single(customer.EvaluateLifecycle(Model, exact)).At);
    }

    [Fact]
    public void Purchase_AfterTheLapsePeriod_LapsesFirst_ThenWinsBack()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (Purchase, Day(2), null));
        var touchpoint = Touch(customer, Purchase, Day(300));
        var applied = customer.ApplyTouchpoint(Model, touchpoint);

        Assert.Equal(2, applied.Count);
        Assert.Equal((RepeatCustomer, Lapsed, Day(182)), (applied[0].From, applied[0].To, applied[0].At));
        Assert.Equal((Lapsed, WonBack, Day(300)), (applied[1].From, applied[1].To, applied[1].At));
        Assert.Equal(touchpoint.Id, applied[1].TouchpointId);
        Assert.Equal(2, customer.PendingEvents.OfType<LifecycleStageChanged>().Count(e => e.Transition.At >= Day(182)));
    }

    [Fact]
    public void WonBack_ThenPurchase_IsARepeatCustomer()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (TouchpointKind.Cancellation, Day(2), null), (Purchase, Day(3), null));
        Assert.Equal(WonBack, customer.Lifecycle.Stage);
        Walk(customer, (Purchase, Day(4), null));
        Assert.Equal(RepeatCustomer, customer.Lifecycle.Stage);
    }

    [Theory]
    [InlineData("cancellation")]
    [InlineData("termination")]
    public void CancellationOrTermination_MakesAFormerCustomer_FromLapsedToo(string kind)
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null));
        customer.EvaluateLifecycle(Model, Day(200));
        Assert.Equal(Lapsed, customer.Lifecycle.Stage);
        Walk(customer, (new TouchpointKind(kind), Day(210), null));
        Assert.Equal(Former, customer.Lifecycle.Stage);
        Assert.Equal(kind, customer.Lifecycle.History[^1].Rule);
    }

    [Fact]
    public void Former_NeverLapses_AndAPurchaseWinsItBack()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (TouchpointKind.Termination, Day(2), null));
        Assert.Empty(customer.EvaluateLifecycle(Model, Day(1000)));
        Walk(customer, (Purchase, Day(1001), null));
        Assert.Equal(WonBack, customer.Lifecycle.Stage);
        Assert.Equal("won-back", customer.Lifecycle.History[^1].Rule);
    }

    [Fact]
    public void MarkFormer_Command_IsRecordedWithActorAndReason_AtTheClocksInstant()
    {
        var clock = new FakeClock(Start);
        var customer = Walk(NewCustomer(clock), (Purchase, Day(1), null));
        clock.Reset(Day(3));
        var transition = customer.ApplyLifecycleCommand(Model, MarkFormer, "agent-17", "asked to close the account");

        Assert.Equal((FirstTimeCustomer, Former, Day(3)), (transition.From, transition.To, transition.At));
        Assert.Equal(LifecycleTriggerKind.Command, transition.Cause);
        Assert.Equal(MarkFormer, transition.Command);
        Assert.Equal("agent-17", transition.Actor);
        Assert.Equal("asked to close the account", transition.Reason);
        Assert.Equal(Former, customer.Lifecycle.Stage);
    }

    [Fact]
    public void MarkFormer_FromAProspectOrAFormerCustomer_IsIllegal_AndChangesNothing()
    {
        var prospect = NewCustomer();
        var events = prospect.PendingEvents.Count;
        var e = Assert.Throws<IllegalLifecycleTransitionException>(() => prospect.ApplyLifecycleCommand(Model, MarkFormer, "agent-17", "asked"));
        Assert.Equal(CrmErrorCodes.IllegalLifecycleTransition, e.ErrorCode);
        Assert.Equal(prospect.Id, e.CustomerId);
        Assert.Equal(Prospect, e.From);
        Assert.Equal(Former, e.To);
        Assert.Equal(MarkFormer, e.Rule);
        Assert.Contains(prospect.Id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Empty(prospect.Lifecycle.History);
        Assert.Equal(events, prospect.PendingEvents.Count);

        var former = Walk(NewCustomer(), (Purchase, Day(1), null), (TouchpointKind.Cancellation, Day(2), null));
        var history = former.Lifecycle.History.ToList();
        Assert.Throws<IllegalLifecycleTransitionException>(() => former.ApplyLifecycleCommand(Model, MarkFormer, "agent-17", "asked"));
        Assert.Equal(history, former.Lifecycle.History);
    }

    [Fact]
    public void Command_WithAGuardThatDoesNotHold_IsIllegal()
    {
        var a = new LifecycleStage("a");
        var b = new LifecycleStage("b");
        var model = new LifecycleModelBuilder(a).AddStage(b).AddRule("promote", [a], b, LifecycleTrigger.OnCommand("promote"), c => c.Facts.PurchaseCount > 0).Build();
        var customer = NewCustomer();
        var e = Assert.Throws<IllegalLifecycleTransitionException>(() => customer.ApplyLifecycleCommand(model, "promote", "admin", "because"));
        Assert.Equal("promote", e.Rule);
        Assert.Equal((a, b), (e.From, e.To));
        Assert.Empty(customer.Lifecycle.History);
    }

    [Fact]
    public void Command_UnknownToTheModel_OrBadText_IsAnArgumentError()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null));
        Assert.Throws<ArgumentException>("command", () => customer.ApplyLifecycleCommand(Model, "unknown", "a", "b"));
        Assert.Throws<ArgumentException>("actor", () => customer.ApplyLifecycleCommand(Model, MarkFormer, " ", "b"));
        Assert.Throws<InputLimitExceededException>("reason", () => customer.ApplyLifecycleCommand(Model, MarkFormer, "a", new string('x', 257)));
        Assert.Throws<ArgumentException>("reason", () => customer.ApplyLifecycleCommand(Model, MarkFormer, "a", "line\nbreak"));
        Assert.Equal(FirstTimeCustomer, customer.Lifecycle.Stage);
    }

    [Fact]
    public void ApplyTouchpoint_OfAnotherCustomer_IsRefused()
    {
        var customer = NewCustomer();
        var other = NewCustomer();
        Assert.Throws<ArgumentException>("touchpoint", () => customer.ApplyTouchpoint(Model, Touch(other, Purchase, Day(1))));
        Assert.Equal(0, customer.Lifecycle.Facts.PurchaseCount);
    }

    [Fact]
    public void ApplyTouchpoint_WhenTheStageIsNotInTheModel_IsRefused_AndChangesNothing()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null));
        var other = new LifecycleModelBuilder(new LifecycleStage("elsewhere")).Build();
        Assert.Throws<ArgumentException>("model", () => customer.ApplyTouchpoint(other, Touch(customer, Purchase, Day(2))));
        Assert.Throws<ArgumentException>("model", () => customer.EvaluateLifecycle(other, Day(2)));
        Assert.Equal(1, customer.Lifecycle.Facts.PurchaseCount);
    }

    [Fact]
    public void AGuardThatThrows_ChangesNothing()
    {
        var a = new LifecycleStage("a");
        var b = new LifecycleStage("b");
        var model = new LifecycleModelBuilder(a).AddStage(b)
            .AddRule("boom", [a], b, LifecycleTrigger.OnTouchpoint(Purchase), _ => throw new InvalidOperationException("guard failed"))
            .Build();
        var customer = NewCustomer();
        var events = customer.PendingEvents.Count;
        Assert.Throws<InvalidOperationException>(() => customer.ApplyTouchpoint(model, Touch(customer, Purchase, Day(1))));
        Assert.Equal(LifecycleFacts.Empty, customer.Lifecycle.Facts);
        Assert.Equal(events, customer.PendingEvents.Count);
    }

    [Fact]
    public void LateTouchpoint_IsRecordedNoEarlierThanTheLastTransition()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(10), null));
        var late = Touch(customer, Purchase, Day(5));
        var transition = Assert.Single(customer.ApplyTouchpoint(Model, late));
        Assert.Equal(Day(10), transition.At);
        Assert.Equal(Day(5), customer.Lifecycle.Facts.FirstPurchaseAt);
        Assert.Equal(Day(10), customer.Lifecycle.Facts.LastPurchaseAt);
        Assert.Equal([Day(5), Day(10)], customer.Lifecycle.Facts.RecentPurchases);
    }

    [Fact]
    public void Queries_StageAt_TimeInStage_TransitionsIn()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null), (Purchase, Day(20), null), (TouchpointKind.Complaint, Day(30), null));
        var life = customer.Lifecycle;

        Assert.Equal(Prospect, life.StageAt(Day(0)));
        Assert.Equal(FirstTimeCustomer, life.StageAt(Day(1)));
        Assert.Equal(FirstTimeCustomer, life.StageAt(Day(20) - Duration.Epsilon));
        Assert.Equal(RepeatCustomer, life.StageAt(Day(20)));
        Assert.Equal(Dissatisfied, life.StageAt(Day(99)));
        Assert.Equal(Day(30), life.EnteredStageAt);
        Assert.Equal(Duration.FromDays(5), life.TimeInStage(Day(35)));
        Assert.Equal(Duration.Zero, life.TimeInStage(Day(29)));

        Assert.Equal([RepeatCustomer], life.TransitionsIn(new Interval(Day(1) + Duration.Epsilon, Day(30))).Select(t => t.To));
        Assert.Equal([FirstTimeCustomer, RepeatCustomer], life.TransitionsIn(new Interval(Day(1), Day(30))).Select(t => t.To));
        Assert.Equal(3, life.TransitionsIn(new Interval(null, null)).Count);
        Assert.Empty(life.TransitionsIn(new Interval(Day(31), Day(40))));
        Assert.Equal(Dissatisfied, life.Replay());
    }

    [Fact]
    public void TimeInStage_BeforeAnyTransition_CountsFromRegistration()
    {
        var customer = NewCustomer();
        Assert.Equal(Start, customer.Lifecycle.EnteredStageAt);
        Assert.Equal(Duration.FromDays(2), customer.Lifecycle.TimeInStage(Day(2)));
        Assert.Null(customer.Lifecycle.StageAt(Day(2)));
        Assert.Null(customer.Lifecycle.Replay());
    }

    [Fact]
    public void EveryRecordedTransition_IsAllowedByTheModel()
    {
        var clock = new FakeClock(Start);
        var customer = Walk(NewCustomer(clock), (Purchase, Day(1), null), (Purchase, Day(2), null), (TouchpointKind.Referral, Day(3), null), (TouchpointKind.Complaint, Day(4), null));
        customer.EvaluateLifecycle(Model, Day(400));
        Walk(customer, (Purchase, Day(401), null));
        clock.Reset(Day(402));
        customer.ApplyLifecycleCommand(Model, MarkFormer, "agent", "asked");
        Assert.Equal(7, customer.Lifecycle.History.Count);
        Assert.All(customer.Lifecycle.History, t => Assert.True(Model.Allows(t), t.ToString()));
        Assert.False(Model.Allows(LifecycleTransitionRecord.Create(Prospect, LoyalAdvocate, Day(1), "first-purchase", LifecycleTriggerKind.Touchpoint, CrmKernel.Primitives.TouchpointId.New(), null, "r", "a")));
    }

    [Fact]
    public void Options_OutOfRange_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new DefaultLifecycleOptions { LapseAfter = Duration.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new DefaultLifecycleOptions { LoyaltyWindow = Duration.FromDays(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new DefaultLifecycleOptions { LoyaltyPurchases = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new DefaultLifecycleOptions { LoyaltyPurchases = LifecycleFacts.MaxRecentPurchases + 1 }));
    }

    [Fact]
    public void Options_ChangeTheThresholds()
    {
        var model = Create(new DefaultLifecycleOptions { LapseAfter = Duration.FromDays(30), LoyaltyPurchases = 2 });
        var customer = NewCustomer();
        customer.ApplyTouchpoint(model, Touch(customer, Purchase, Day(1)));
        customer.ApplyTouchpoint(model, Touch(customer, Purchase, Day(2)));
        Assert.Equal(RepeatCustomer, customer.Lifecycle.Stage);
        customer.ApplyTouchpoint(model, Touch(customer, Purchase, Day(3)));
        Assert.Equal(LoyalAdvocate, customer.Lifecycle.Stage);
        Assert.Single(customer.EvaluateLifecycle(model, Day(33)));
    }

    [Fact]
    public void Facts_KeepTheNewestSixteenPurchases_InOrder_EvenWhenOneArrivesLate()
    {
        var customer = NewCustomer();
        for (var day = 1; day <= 20; day++)
        {
            customer.ApplyTouchpoint(Model, Touch(customer, Purchase, Day(day)));
        }

        customer.ApplyTouchpoint(Model, Touch(customer, Purchase, Day(10) + Duration.FromHours(12)));
        var facts = customer.Lifecycle.Facts;
        Assert.Equal(21, facts.PurchaseCount);
        Assert.Equal(LifecycleFacts.MaxRecentPurchases, facts.RecentPurchases.Count);
        Assert.Equal(Day(20), facts.RecentPurchases[^1]);
        Assert.Equal(facts.RecentPurchases.Order(), facts.RecentPurchases);
        Assert.Contains(Day(10) + Duration.FromHours(12), facts.RecentPurchases);
        Assert.Equal(Day(1), facts.FirstPurchaseAt);
        Assert.Equal(Day(20), facts.LastPurchaseAt);
    }

    [Fact]
    public void OtherTouchpointKinds_LeaveFactsAndStageAlone()
    {
        var customer = Walk(NewCustomer(), (Purchase, Day(1), null));
        var facts = customer.Lifecycle.Facts;
        var events = customer.PendingEvents.Count;
        Assert.Empty(customer.ApplyTouchpoint(Model, Touch(customer, TouchpointKind.Enquiry, Day(2))));
        Assert.Same(facts, customer.Lifecycle.Facts);
        Assert.Equal(events, customer.PendingEvents.Count);
    }
}
