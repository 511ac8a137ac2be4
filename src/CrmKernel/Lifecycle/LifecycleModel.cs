using CrmKernel.Diagnostics;
using CrmKernel.Primitives;
using CrmKernel.Touchpoints;
using NodaTime;

namespace CrmKernel.Lifecycle;

/// <summary>
/// A validated customer lifecycle: the stages, the initial stage, and the rules that move customers between
/// stages on touchpoints, inactivity and commands. Use <see cref="DefaultLifecycleModel.Create"/> for the kernel's
/// model, or build your own with <see cref="LifecycleModelBuilder"/>; a model that exists is valid.
/// </summary>
/// <remarks>
/// <para>How a model is applied to a customer (see <c>Customer.ApplyTouchpoint</c>, <c>Customer.EvaluateLifecycle</c>
/// and <c>Customer.ApplyLifecycleCommand</c>):</para>
/// <list type="bullet">
/// <item>A touchpoint first lets time catch up (inactivity rules due by its occurrence instant fire first), then
/// updates the customer's <see cref="LifecycleFacts"/>, then fires at most one touchpoint rule from the current stage
/// whose trigger matches and whose guard holds.</item>
/// <item>An inactivity rule fires when the duration since the last purchase has fully elapsed (at exactly the
/// duration it has), and is recorded at the instant it became due (never before the previous transition).</item>
/// <item>Validation guarantees that at most one rule can match a given touchpoint, inactivity check or command from a stage.</item>
/// </list>
/// <para>Immutable and thread-safe; share one instance.</para>
/// </remarks>
public sealed class LifecycleModel
{
    private readonly Dictionary<LifecycleStage, StageRules> _byStage;

    internal LifecycleModel(LifecycleStage initialStage, IReadOnlyList<LifecycleStage> stages, IReadOnlyList<LifecycleRule> rules)
    {
        InitialStage = initialStage;
        Stages = stages;
        Rules = rules;
        _byStage = stages.ToDictionary(static s => s, static _ => new StageRules());
        foreach (var rule in rules)
        {
            foreach (var from in rule.From)
            {
                var entry = _byStage[from];
                switch (rule.Trigger.Kind)
                {
                    case LifecycleTriggerKind.Touchpoint:
                        entry.OnTouchpoint.Add(rule);
                        break;
                    case LifecycleTriggerKind.Inactivity:
                        entry.OnInactivity = rule;
                        break;
                    default:
                        entry.OnCommand.Add(rule);
                        break;
                }
            }
        }
    }

    /// <summary>The stage of a customer to which no transition has happened yet.</summary>
    public LifecycleStage InitialStage { get; }

    /// <summary>Every declared stage, initial first, in declaration order.</summary>
    public IReadOnlyList<LifecycleStage> Stages { get; }

    /// <summary>Every rule, in declaration order.</summary>
    public IReadOnlyList<LifecycleRule> Rules { get; }

    /// <summary>Whether the model declares <paramref name="stage"/>.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>True when declared.</returns>
    public bool Declares(LifecycleStage stage) => stage != default && _byStage.ContainsKey(stage);

    /// <summary>
    /// Whether a recorded transition is one this model allows: a rule of that name exists, applies from the
    /// record's <see cref="LifecycleTransitionRecord.From"/>, leads to its <see cref="LifecycleTransitionRecord.To"/>,
    /// and has a trigger of the record's cause. Use it to check stored history against the model in use.
    /// </summary>
    /// <param name="transition">The recorded transition.</param>
    /// <returns>True when allowed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transition"/> is null.</exception>
    public bool Allows(LifecycleTransitionRecord transition)
    {
        Preconditions.NotNull(transition);
        foreach (var rule in Rules)
        {
            if (rule.Name == transition.Rule && rule.To == transition.To && rule.Trigger.Kind == transition.Cause && rule.From.Contains(transition.From)
                && (transition.Cause != LifecycleTriggerKind.Command || rule.Trigger.Command == transition.Command))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The rule that a touchpoint fires from <paramref name="stage"/> in <paramref name="context"/>, or null.</summary>
    internal LifecycleRule? TouchpointRule(LifecycleStage stage, Touchpoint touchpoint, in LifecycleContext context)
    {
        if (!_byStage.TryGetValue(stage, out var entry))
        {
            return null;
        }

        foreach (var rule in entry.OnTouchpoint)
        {
            if (rule.Trigger.Matches(touchpoint) && rule.Allows(context))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>
    /// The inactivity rule of <paramref name="stage"/> that is due by <paramref name="asOf"/>, and the instant it became due
    /// (not before <paramref name="notBefore"/>); null when none is due or its guard does not hold. Allocation-free.
    /// </summary>
    internal LifecycleRule? DueInactivityRule(CustomerId customerId, LifecycleStage stage, LifecycleFacts facts, Instant? notBefore, Instant asOf, out Instant dueAt)
    {
        dueAt = default;
        if (facts.LastPurchaseAt is not { } last || !_byStage.TryGetValue(stage, out var entry) || entry.OnInactivity is not { } rule)
        {
            return null;
        }

        var due = last + rule.Trigger.Inactivity;
        if (due > asOf)
        {
            return null;
        }

        dueAt = notBefore is { } floor && floor > due ? floor : due;
        return rule.Allows(new LifecycleContext(customerId, stage, facts, null, dueAt)) ? rule : null;
    }

    /// <summary>The rules of <paramref name="command"/> that apply from <paramref name="stage"/>.</summary>
    internal LifecycleRule? CommandRule(LifecycleStage stage, string command)
    {
        if (_byStage.TryGetValue(stage, out var entry))
        {
            foreach (var rule in entry.OnCommand)
            {
                if (rule.Trigger.Command == command)
                {
                    return rule;
                }
            }
        }

        return null;
    }

    /// <summary>Any rule of <paramref name="command"/>, or null when the model has no such command.</summary>
    internal LifecycleRule? AnyCommandRule(string command) => Rules.FirstOrDefault(r => r.Trigger.Kind == LifecycleTriggerKind.Command && r.Trigger.Command == command);

    private sealed class StageRules
    {
        public List<LifecycleRule> OnTouchpoint { get; } = [];

        public LifecycleRule? OnInactivity { get; set; }

        public List<LifecycleRule> OnCommand { get; } = [];
    }
}
