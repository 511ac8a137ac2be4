using CrmKernel.Customers;
using CrmKernel.Lifecycle;
using CrmKernel.Primitives;
using CrmKernel.Services.Ingestion;
using CrmKernel.Services.Lifecycle;
using CrmKernel.Touchpoints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Xunit;
using static CrmKernel.Lifecycle.DefaultLifecycleModel;

namespace CrmKernel.Tests.Lifecycle;

/// <summary>One step of a generated lifecycle script.</summary>
public abstract record LifecycleOp;

/// <summary>Advance the clock by <paramref name="Minutes"/>, then record a touchpoint at the clock's instant.</summary>
public sealed record TouchOp(TouchpointKind Kind, SatisfactionScore? Score, long Minutes) : LifecycleOp
{
    public override string ToString() => $"+{Minutes}m {Kind}{(Score is null ? "" : " " + Score)}";
}

/// <summary>Advance the clock.</summary>
public sealed record AdvanceOp(long Minutes) : LifecycleOp
{
    public override string ToString() => $"+{Minutes}m";
}

/// <summary>Run the time-driven evaluation at the clock's instant.</summary>
public sealed record EvaluateOp : LifecycleOp
{
    public override string ToString() => "evaluate";
}

/// <summary>Apply the mark-former command.</summary>
public sealed record MarkFormerOp : LifecycleOp
{
    public override string ToString() => "mark-former";
}

/// <summary>A generated script of lifecycle operations.</summary>
public sealed record LifecycleScript(IReadOnlyList<LifecycleOp> Ops)
{
    public override string ToString() => string.Join(" | ", Ops);
}

public static class LifecycleArbitraries
{
    private const long Day = 24 * 60;

    private static readonly Gen<SatisfactionScore?> Score = Gen.Frequency(
        (2, Gen.Constant<SatisfactionScore?>(null)),
        (2, Gen.Choose(1, 5).Select(v => (SatisfactionScore?)new CsatScore(v))),
        (2, Gen.Choose(0, 10).Select(v => (SatisfactionScore?)new NpsScore(v))),
        (1, Gen.Choose(1, 7).Select(v => (SatisfactionScore?)new Ces2Score(v))));

    private static readonly Gen<TouchpointKind> Kind = Gen.Frequency(
        (8, Gen.Constant(TouchpointKind.Purchase)),
        (3, Gen.Constant(TouchpointKind.Complaint)),
        (3, Gen.Constant(TouchpointKind.Resolution)),
        (5, Gen.Constant(TouchpointKind.Feedback)),
        (2, Gen.Constant(TouchpointKind.Referral)),
        (1, Gen.Constant(TouchpointKind.Cancellation)),
        (1, Gen.Constant(TouchpointKind.Termination)),
        (2, Gen.Constant(TouchpointKind.Enquiry)));

    /// <summary>Mostly small steps, sometimes long gaps around the 180-day lapse threshold (including exactly 180 days).</summary>
    private static readonly Gen<long> Minutes = Gen.Frequency(
        (6, Gen.Choose(0, 5 * 24 * 60).Select(m => (long)m)),
        (2, Gen.Choose(20, 200).Select(d => d * Day)),
        (1, Gen.Elements(180 * Day, (180 * Day) - 1, 365 * Day)));

    private static readonly Gen<LifecycleOp> Op = Gen.Frequency(
        (10, from kind in Kind from score in Score from minutes in Minutes select (LifecycleOp)new TouchOp(kind, score, minutes)),
        (3, Minutes.Select(m => (LifecycleOp)new AdvanceOp(m))),
        (3, Gen.Constant((LifecycleOp)new EvaluateOp())),
        (1, Gen.Constant((LifecycleOp)new MarkFormerOp())));

    public static Arbitrary<LifecycleScript> Script()
        => Gen.Choose(1, 40).SelectMany(n => Op.ListOf(n)).Select(ops => new LifecycleScript([.. ops])).ToArbitrary();
}

/// <summary>
/// Runs generated scripts of touchpoints, clock advances, evaluations and commands against the engine (a customer
/// and the default model) and against a small, independent reference model of the default lifecycle, and checks
/// that they agree after every step and that the engine's invariants hold.
/// </summary>
public sealed class LifecycleModelBasedProperties
{
    private static readonly Instant Start = Instant.FromUtc(2025, 3, 1, 12, 0);

    [Property(Arbitrary = new[] { typeof(LifecycleArbitraries) }, MaxTest = 1_000)]
    public void Engine_AgreesWithTheReferenceModel_AndKeepsItsInvariants(LifecycleScript script)
    {
        var model = LifecycleTestData.Model;
        var clock = new FakeClock(Start);
        var customer = Customer.Register(LifecycleTestData.Tenant, new PersonProfile("Ada", "Lovelace"), clock);
        var reference = new ReferenceLifecycle();
        var applied = new HashSet<TouchpointId>();
        var step = 0;
        foreach (var op in script.Ops)
        {
            step++;
            switch (op)
            {
                case TouchOp t:
                    clock.Advance(Duration.FromMinutes(t.Minutes));
                    var touchpoint = Touchpoint.Create(customer.TenantId, TouchpointId.New(), clock.GetCurrentInstant(), LifecycleTestData.Details(customer.Id, t.Kind, clock.GetCurrentInstant(), t.Score));
                    applied.Add(touchpoint.Id);
                    var transitions = customer.ApplyTouchpoint(model, touchpoint);
                    reference.Touch(t.Kind, t.Score?.Polarity, t.Score is NpsScore { IsPromoter: true }, clock.GetCurrentInstant());
                    Assert.True(transitions.Count <= 2, $"step {step}: a touchpoint applies at most a lapse and one rule");
                    break;
                case AdvanceOp a:
                    clock.Advance(Duration.FromMinutes(a.Minutes));
                    break;
                case EvaluateOp:
                    customer.EvaluateLifecycle(model, clock.GetCurrentInstant());
                    reference.Evaluate(clock.GetCurrentInstant());
                    Assert.Empty(customer.EvaluateLifecycle(model, clock.GetCurrentInstant()));
                    break;
                case MarkFormerOp:
                    if (reference.MarkFormer())
                    {
                        customer.ApplyLifecycleCommand(model, MarkFormer, "model-test", "asked to leave");
                    }
                    else
                    {
                        var history = customer.Lifecycle.History.ToArray();
                        var facts = customer.Lifecycle.Facts;
                        Assert.Throws<IllegalLifecycleTransitionException>(() => customer.ApplyLifecycleCommand(model, MarkFormer, "model-test", "asked to leave"));
                        Assert.Equal(history, customer.Lifecycle.History);
                        Assert.Same(facts, customer.Lifecycle.Facts);
                    }

                    break;
            }

            Assert.True(reference.Stage == customer.LifecycleStageIn(model), $"step {step} ({op}): engine {customer.LifecycleStageIn(model)}, reference {reference.Stage}; script {script}");
            Assert.Equal(customer.Lifecycle.History.Count, customer.PendingEvents.OfType<LifecycleStageChanged>().Count());
        }

        CheckInvariants(model, customer, applied);
    }

    /// <summary>
    /// The same scripts through the services and the in-memory stores: every touchpoint is recorded with its customer
    /// change in one commit and then delivered again (which must apply nothing), evaluations run the bulk evaluator twice,
    /// commands go through the ingestion; the stored customer agrees with the reference model after every step.
    /// </summary>
    [Property(Arbitrary = new[] { typeof(LifecycleArbitraries) }, MaxTest = 200)]
    public async Task Services_AgreeWithTheReferenceModel_AndRedeliveryAppliesNothing(LifecycleScript script)
    {
        var model = LifecycleTestData.Model;
        var tenant = LifecycleTestData.Tenant;
        var clock = new FakeClock(Start);
        var outbox = new CrmKernel.Storage.InMemory.InMemoryCrmOutbox();
        var customers = new CrmKernel.Storage.InMemory.InMemoryCustomerStore(outbox);
        var touchpoints = new CrmKernel.Storage.InMemory.InMemoryTouchpointStore();
        var published = new PublishedEvents();
        var ingestion = new TouchpointIngestion(touchpoints, clock, model, customers, new CrmKernel.Storage.InMemory.InMemoryCustomerTouchpointStore(customers, touchpoints), published, outbox);
        var commands = new LifecycleService(new CrmKernel.Services.Customers.CustomerRepository(customers, clock, published, outbox), model);
        var evaluator = new LifecycleEvaluator(new CrmKernel.Services.Customers.CustomerRepository(customers, clock, published, outbox), model);
        var customer = Customer.Register(tenant, new PersonProfile("Ada", "Lovelace"), clock);
        await new CrmKernel.Services.Customers.CustomerRepository(customers, clock, null, outbox).SaveAsync(customer);
        var reference = new ReferenceLifecycle();
        var step = 0;
        foreach (var op in script.Ops)
        {
            step++;
            switch (op)
            {
                case TouchOp t:
                    clock.Advance(Duration.FromMinutes(t.Minutes));
                    var details = LifecycleTestData.Details(customer.Id, t.Kind, clock.GetCurrentInstant(), t.Score, key: $"step-{step}");
                    var recorded = await ingestion.RecordAsync(tenant, details);
                    var version = (await customers.FindAsync(tenant, customer.Id, default))!.Version;
                    var again = await ingestion.RecordAsync(tenant, details);
                    Assert.False(recorded.AlreadyRecorded);
                    Assert.True(again.AlreadyRecorded);
                    Assert.Empty(again.Transitions);
                    Assert.Equal(recorded.Touchpoint!.Id, again.Touchpoint!.Id);
                    Assert.Equal(version, (await customers.FindAsync(tenant, customer.Id, default))!.Version);
                    reference.Touch(t.Kind, t.Score?.Polarity, t.Score is NpsScore { IsPromoter: true }, clock.GetCurrentInstant());
                    break;
                case AdvanceOp a:
                    clock.Advance(Duration.FromMinutes(a.Minutes));
                    break;
                case EvaluateOp:
                    await evaluator.EvaluateAsync(tenant, clock.GetCurrentInstant());
                    Assert.Equal(0, (await evaluator.EvaluateAsync(tenant, clock.GetCurrentInstant())).Changed);
                    reference.Evaluate(clock.GetCurrentInstant());
                    break;
                case MarkFormerOp:
                    if (reference.MarkFormer())
                    {
                        await commands.ApplyCommandAsync(tenant, customer.Id, MarkFormer, "model-test", "asked to leave");
                    }
                    else
                    {
                        var before = await customers.FindAsync(tenant, customer.Id, default);
                        await Assert.ThrowsAsync<IllegalLifecycleTransitionException>(async () => await commands.ApplyCommandAsync(tenant, customer.Id, MarkFormer, "model-test", "asked to leave"));
                        Assert.Same(before, await customers.FindAsync(tenant, customer.Id, default));
                    }

                    break;
            }

            var stored = Customer.Rehydrate((await customers.FindAsync(tenant, customer.Id, default))!, clock);
            Assert.True(reference.Stage == stored.LifecycleStageIn(model), $"step {step} ({op}): stored {stored.LifecycleStageIn(model)}, reference {reference.Stage}; script {script}");
            Assert.All(stored.Lifecycle.History, transition => Assert.True(model.Allows(transition)));
        }

        // One event per stored transition, each published once, after its commit; none left pending.
        var final = Customer.Rehydrate((await customers.FindAsync(tenant, customer.Id, default))!, clock);
        Assert.Equal(final.Lifecycle.History, published.Events.OfType<LifecycleStageChanged>().Select(e => e.Transition));
        Assert.Empty(await outbox.ListPendingAsync(tenant, 10_000, default));
    }

    private sealed class PublishedEvents : CrmKernel.Storage.ICrmEventPublisher
    {
        public List<CrmKernel.Events.ICrmEvent> Events { get; } = [];

        public ValueTask PublishAsync(IReadOnlyList<CrmKernel.Events.ICrmEvent> events, CancellationToken cancellationToken)
        {
            Events.AddRange(events);
            return ValueTask.CompletedTask;
        }
    }

    private static void CheckInvariants(LifecycleModel model, Customer customer, HashSet<TouchpointId> applied)
    {
        var history = customer.Lifecycle.History;

        // Replay equals the current stage; the history chains in time order.
        Assert.Equal(customer.Lifecycle.Stage, customer.Lifecycle.Replay());
        if (history.Count > 0)
        {
            Assert.Equal(model.InitialStage, history[0].From);
        }

        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1].To, history[i].From);
            Assert.True(history[i - 1].At <= history[i].At);
        }

        foreach (var transition in history)
        {
            // Every transition is allowed by the model, and none is without a trigger.
            Assert.True(model.Allows(transition), transition.ToString());
            switch (transition.Cause)
            {
                case LifecycleTriggerKind.Touchpoint:
                    Assert.Contains(transition.TouchpointId!.Value, applied);
                    break;
                case LifecycleTriggerKind.Command:
                    Assert.Equal(MarkFormer, transition.Command);
                    Assert.Equal("model-test", transition.Actor);
                    break;
                default:
                    Assert.Null(transition.TouchpointId);
                    Assert.Null(transition.Command);
                    Assert.True(customer.Lifecycle.Facts.LastPurchaseAt is not null);
                    break;
            }

        }

        // Stage-at queries agree with the history at each transition's edges.
        for (var i = 0; i < history.Count; i++)
        {
            if (i + 1 == history.Count || history[i + 1].At > history[i].At)
            {
                Assert.Equal(history[i].To, customer.Lifecycle.StageAt(history[i].At));
            }

            if (i == 0 || history[i - 1].At < history[i].At)
            {
                Assert.Equal(history[i].From, customer.Lifecycle.StageAt(history[i].At - Duration.Epsilon));
            }
        }

        // One event per transition, carrying it.
        Assert.Equal(history, customer.PendingEvents.OfType<LifecycleStageChanged>().Select(e => e.Transition));

        // The stored form rebuilds the same lifecycle.
        var rebuilt = Customer.Rehydrate(customer.ToSnapshot(), new FakeClock(Start));
        Assert.Equal(history, rebuilt.Lifecycle.History);
        Assert.Equal(customer.Lifecycle.Facts, rebuilt.Lifecycle.Facts);
        Assert.Equal(customer.Lifecycle.Stage, rebuilt.Lifecycle.Stage);
    }

    /// <summary>The default lifecycle, written out plainly: what the engine must do, step by step.</summary>
    private sealed class ReferenceLifecycle
    {
        private static readonly Duration LapseAfter = Duration.FromDays(180);
        private static readonly Duration LoyaltyWindow = Duration.FromDays(365);
        private readonly List<Instant> _purchases = [];
        private int _openComplaints;
        private Instant? _lastResolution;

        public LifecycleStage Stage { get; private set; } = Prospect;

        private bool Buying => Stage == FirstTimeCustomer || Stage == RepeatCustomer || Stage == LoyalAdvocate || Stage == Recovered || Stage == WonBack;

        private bool Active => Buying || Stage == Dissatisfied;

        private bool CanLeave => Active || Stage == Lapsed;

        public void Evaluate(Instant now)
        {
            if (Active && _purchases.Count > 0 && now - _purchases[^1] >= LapseAfter)
            {
                Stage = Lapsed;
            }
        }

        public bool MarkFormer()
        {
            if (!CanLeave)
            {
                return false;
            }

            Stage = Former;
            return true;
        }

        public void Touch(TouchpointKind kind, SatisfactionPolarity? polarity, bool promoter, Instant now)
        {
            Evaluate(now);
            if (kind == TouchpointKind.Purchase)
            {
                _purchases.Add(now);
                if (Stage == Prospect)
                {
                    Stage = FirstTimeCustomer;
                }
                else if (Stage == FirstTimeCustomer || Stage == Recovered || Stage == WonBack)
                {
                    Stage = RepeatCustomer;
                }
                else if (Stage == RepeatCustomer && _purchases.Count(p => p > now - LoyaltyWindow) >= 3)
                {
                    Stage = LoyalAdvocate;
                }
                else if (Stage == Lapsed || Stage == Former)
                {
                    Stage = WonBack;
                }
            }
            else if (kind == TouchpointKind.Complaint)
            {
                _openComplaints++;
                if (Buying)
                {
                    Stage = Dissatisfied;
                }
            }
            else if (kind == TouchpointKind.Resolution)
            {
                _openComplaints = Math.Max(0, _openComplaints - 1);
                _lastResolution = now;
            }
            else if (kind == TouchpointKind.Feedback)
            {
                if (polarity == SatisfactionPolarity.Negative && Buying)
                {
                    Stage = Dissatisfied;
                }
                else if (polarity == SatisfactionPolarity.Positive && Stage == RepeatCustomer && promoter)
                {
                    Stage = LoyalAdvocate;
                }
                else if (polarity == SatisfactionPolarity.Positive && Stage == Dissatisfied && _openComplaints == 0 && (_lastResolution is null || _lastResolution <= now))
                {
                    Stage = Recovered;
                }
            }
            else if (kind == TouchpointKind.Referral && Stage == RepeatCustomer)
            {
                Stage = LoyalAdvocate;
            }
            else if ((kind == TouchpointKind.Cancellation || kind == TouchpointKind.Termination) && CanLeave)
            {
                Stage = Former;
            }
        }
    }
}
