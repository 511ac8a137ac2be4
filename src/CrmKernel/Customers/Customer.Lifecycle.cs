using CrmKernel.Diagnostics;
using CrmKernel.Lifecycle;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Customers;

/// <content>The customer's lifecycle: stage, history and facts, and the methods that move it through a <see cref="LifecycleModel"/>.</content>
public sealed partial class Customer
{
    /// <summary>The customer's lifecycle state: stage, history of transitions, and the facts guards read.</summary>
    public CustomerLifecycle Lifecycle { get; }

    /// <summary>True when lifecycle facts changed without an event since the last save (so the customer still needs saving).</summary>
    internal bool HasUnsavedLifecycleFacts { get; private set; }

    /// <summary>The customer's stage under <paramref name="model"/>: its recorded stage, or the model's initial stage when it has none.</summary>
    /// <param name="model">The model in use.</param>
    /// <returns>The stage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public LifecycleStage LifecycleStageIn(LifecycleModel model) => Lifecycle.Stage ?? Preconditions.NotNull(model).InitialStage;

    /// <summary>
    /// Applies a recorded touchpoint of this customer to its lifecycle: inactivity rules due by the touchpoint's
    /// occurrence fire first, then the facts count the touchpoint, then at most one touchpoint rule fires. Each
    /// transition is recorded and raises <see cref="LifecycleStageChanged"/>. <c>TouchpointIngestion</c>
    /// records a touchpoint and applies it in one commit; call this directly only when you manage
    /// storage yourself, and apply each touchpoint once.
    /// </summary>
    /// <param name="model">The lifecycle model.</param>
    /// <param name="touchpoint">A touchpoint of this customer and tenant.</param>
    /// <returns>The transitions applied, oldest first; empty when the stage did not change (the facts may have).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The touchpoint belongs to another customer or tenant, or the customer's stage is not declared by <paramref name="model"/>.</exception>
    public IReadOnlyList<LifecycleTransitionRecord> ApplyTouchpoint(LifecycleModel model, Touchpoint touchpoint)
    {
        Preconditions.NotNull(model);
        Preconditions.NotNull(touchpoint);
        Preconditions.Check(touchpoint.TenantId == TenantId && touchpoint.CustomerId == Id, "The touchpoint must belong to this customer and tenant.", nameof(touchpoint));
        var stage = RequireDeclaredStage(model);
        var planned = new List<LifecycleTransitionRecord>(2);
        var last = LastTransitionAt();
        stage = PlanInactivity(model, stage, Lifecycle.Facts, ref last, touchpoint.OccurredAt, planned);

        var facts = Lifecycle.Facts.With(touchpoint);
        var at = last is { } floor && floor > touchpoint.OccurredAt ? floor : touchpoint.OccurredAt;
        var rule = model.TouchpointRule(stage, touchpoint, new LifecycleContext(Id, stage, facts, touchpoint, at));
        if (rule is not null)
        {
            planned.Add(LifecycleTransitionRecord.Create(stage, rule.To, at, rule.Name, LifecycleTriggerKind.Touchpoint, touchpoint.Id, null, rule.Reason, LifecycleTransitionRecord.SystemActor));
        }

        // Everything is computed; now change state (nothing above changed the customer).
        if (!ReferenceEquals(facts, Lifecycle.Facts))
        {
            Lifecycle.SetFacts(facts);
            HasUnsavedLifecycleFacts = true;
            var now = _clock.GetCurrentInstant();
            UpdatedAt = now > UpdatedAt ? now : UpdatedAt;
        }

        Record(planned);
        return planned;
    }

    /// <summary>
    /// Applies the time-driven (inactivity) transitions that are due by <paramref name="asOf"/>. Running it again for
    /// the same or an earlier instant changes nothing. The bulk <c>LifecycleEvaluator</c> calls it for a whole tenant.
    /// </summary>
    /// <param name="model">The lifecycle model.</param>
    /// <param name="asOf">The instant to evaluate at, usually the clock's.</param>
    /// <returns>The transitions applied, oldest first; empty when none was due.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The customer's stage is not declared by <paramref name="model"/>.</exception>
    public IReadOnlyList<LifecycleTransitionRecord> EvaluateLifecycle(LifecycleModel model, Instant asOf)
    {
        Preconditions.NotNull(model);
        var stage = RequireDeclaredStage(model);
        var last = LastTransitionAt();
        if (model.DueInactivityRule(Id, stage, Lifecycle.Facts, last, asOf, out _) is null)
        {
            return [];
        }

        var planned = new List<LifecycleTransitionRecord>(1);
        PlanInactivity(model, stage, Lifecycle.Facts, ref last, asOf, planned);
        Record(planned);
        return planned;
    }

    /// <summary>
    /// Applies an explicit lifecycle command (e.g. <see cref="DefaultLifecycleModel.MarkFormer"/>), recorded at the
    /// clock's instant with the given actor and reason, and raises <see cref="LifecycleStageChanged"/>.
    /// </summary>
    /// <param name="model">The lifecycle model.</param>
    /// <param name="command">The command's name; the model must have a rule for it.</param>
    /// <param name="actor">Who asks (a user or system id, 1–256 characters; no personal data).</param>
    /// <param name="reason">Why (1–256 characters).</param>
    /// <returns>The transition applied.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model has no such command, the actor or reason is invalid, or the customer's stage is not declared by the model.</exception>
    /// <exception cref="IllegalLifecycleTransitionException">The command does not apply from the customer's stage, or its guard does not hold; nothing changed.</exception>
    public LifecycleTransitionRecord ApplyLifecycleCommand(LifecycleModel model, string command, string actor, string reason)
    {
        Preconditions.NotNull(model);
        Preconditions.NotNull(command);
        Preconditions.NotNull(actor);
        Preconditions.NotNull(reason);
        LifecycleTransitionRecord.CheckText(actor, nameof(actor));
        LifecycleTransitionRecord.CheckText(reason, nameof(reason));
        Preconditions.MaxLength(command, LifecycleTrigger.MaxCommandLength);
        var any = model.AnyCommandRule(command);
        Preconditions.Check(any is not null, "The lifecycle model has no rule for this command.", nameof(command));
        var stage = RequireDeclaredStage(model);
        var now = _clock.GetCurrentInstant();
        var last = LastTransitionAt();
        var at = last is { } floor && floor > now ? floor : now;
        var rule = model.CommandRule(stage, command)
                   ?? throw new IllegalLifecycleTransitionException(Id, stage, any!.To, command, $"does not apply from stage {stage}");
        if (!rule.Allows(new LifecycleContext(Id, stage, Lifecycle.Facts, null, at)))
        {
            throw new IllegalLifecycleTransitionException(Id, stage, rule.To, rule.Name, "has a guard that does not hold");
        }

        var transition = LifecycleTransitionRecord.Create(stage, rule.To, at, rule.Name, LifecycleTriggerKind.Command, null, command, reason, actor);
        Record([transition]);
        return transition;
    }

    /// <summary>
    /// Checks and restores the lifecycle part of a snapshot (called by <see cref="Rehydrate"/>); returns why it breaks a
    /// rule, or null when it keeps every rule (then it is restored).
    /// </summary>
    private string? RestoreLifecycle(CustomerSnapshot snapshot)
    {
        var history = snapshot.LifecycleHistory;
        if (history is null)
        {
            return "the lifecycle history is missing";
        }

        LifecycleTransitionRecord? previous = null;
        for (var i = 0; i < history.Count; i++)
        {
            var transition = history[i];
            if (transition is null)
            {
                return "a lifecycle transition is missing";
            }

            if (previous is not null && (transition.From != previous.To || transition.At < previous.At))
            {
                return "the lifecycle history does not chain in time order";
            }

            if (transition.At < CreatedAt)
            {
                return "a lifecycle transition is before the customer was created";
            }

            previous = transition;
        }

        if (snapshot.LifecycleStage != previous?.To)
        {
            return "the lifecycle stage is not the one its history replays to";
        }

        Lifecycle.Restore(history, snapshot.LifecycleFacts ?? LifecycleFacts.Empty);
        return null;
    }

    private LifecycleStage RequireDeclaredStage(LifecycleModel model)
    {
        var stage = Lifecycle.Stage ?? model.InitialStage;
        Preconditions.Check(model.Declares(stage), $"The customer's lifecycle stage {stage} is not declared by the model.", nameof(model));
        return stage;
    }

    /// <summary>
    /// The earliest instant a new transition may carry: the last transition's, or the registration when there is none —
    /// a historical touchpoint (an import of old orders) that occurred before the customer was registered is recorded at
    /// the registration, so the history never starts before the customer (which <see cref="Rehydrate"/> checks).
    /// </summary>
    private Instant? LastTransitionAt() => Lifecycle.History.Count == 0 ? CreatedAt : Lifecycle.History[^1].At;

    private LifecycleStage PlanInactivity(LifecycleModel model, LifecycleStage stage, LifecycleFacts facts, ref Instant? last, Instant asOf, List<LifecycleTransitionRecord> planned)
    {
        // Inactivity rules never cycle (the builder checks), so this ends within the number of stages.
        while (model.DueInactivityRule(Id, stage, facts, last, asOf, out var dueAt) is { } rule)
        {
            planned.Add(LifecycleTransitionRecord.Create(stage, rule.To, dueAt, rule.Name, LifecycleTriggerKind.Inactivity, null, null, rule.Reason, LifecycleTransitionRecord.SystemActor));
            stage = rule.To;
            last = dueAt;
        }

        return stage;
    }

    private void Record(IReadOnlyList<LifecycleTransitionRecord> transitions)
    {
        foreach (var transition in transitions)
        {
            Lifecycle.Record(transition);
            Raise(now => new LifecycleStageChanged(TenantId, Id, now, transition));
        }
    }
}
