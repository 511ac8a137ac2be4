using CrmKernel.Diagnostics;

namespace CrmKernel.Lifecycle;

/// <summary>
/// Builds a <see cref="LifecycleModel"/>: declare stages, then rules, then call <see cref="Build"/>, which
/// validates the whole model. Use it when the <see cref="DefaultLifecycleModel"/> does not fit your business.
/// </summary>
/// <example>
/// <code>
/// var trial = new LifecycleStage("trial");
/// var paying = new LifecycleStage("paying");
/// var model = new LifecycleModelBuilder(trial)
///     .AddStage(paying)
///     .AddRule("converted", [trial], paying, LifecycleTrigger.OnTouchpoint(TouchpointKind.Purchase))
///     .Build();
/// </code>
/// </example>
public sealed class LifecycleModelBuilder
{
    private readonly List<LifecycleStage> _stages = [];
    private readonly List<LifecycleRule> _rules = [];

    /// <summary>Starts a model whose customers begin in <paramref name="initialStage"/>.</summary>
    /// <param name="initialStage">The stage of a customer with no transitions.</param>
    /// <exception cref="ArgumentException"><paramref name="initialStage"/> is the default.</exception>
    public LifecycleModelBuilder(LifecycleStage initialStage)
    {
        Preconditions.NotDefault(initialStage);
        _stages.Add(initialStage);
    }

    /// <summary>Declares a stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is the default.</exception>
    public LifecycleModelBuilder AddStage(LifecycleStage stage)
    {
        Preconditions.NotDefault(stage);
        _stages.Add(stage);
        return this;
    }

    /// <summary>Declares a rule that moves customers from any of <paramref name="from"/> to <paramref name="to"/> when <paramref name="trigger"/> fires and <paramref name="guard"/> holds.</summary>
    /// <param name="name">The rule's name, a slug of 1–64 characters (e.g. <c>first-purchase</c>), recorded with each transition.</param>
    /// <param name="from">The stages it applies from; at least one.</param>
    /// <param name="to">The stage it moves to; not one of <paramref name="from"/>.</param>
    /// <param name="trigger">What fires it.</param>
    /// <param name="guard">An optional pure predicate that must hold, e.g. <c>c =&gt; c.Facts.PurchaseCount &gt;= 3</c>.</param>
    /// <param name="reason">The reason recorded with automatic transitions; defaults to the rule's name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/>, <paramref name="from"/> or <paramref name="trigger"/> is null.</exception>
    /// <exception cref="ArgumentException">The name or reason is invalid, <paramref name="from"/> is empty or holds the default or <paramref name="to"/>, or <paramref name="to"/> is the default.</exception>
    public LifecycleModelBuilder AddRule(string name, IReadOnlyList<LifecycleStage> from, LifecycleStage to, LifecycleTrigger trigger, Func<LifecycleContext, bool>? guard = null, string? reason = null)
    {
        Preconditions.NotNull(name);
        Preconditions.NotNull(from);
        Preconditions.NotNull(trigger);
        Preconditions.NotDefault(to);
        Preconditions.MaxLength(name, LifecycleRule.MaxNameLength);
        Preconditions.Check(LifecycleRule.IsValidName(name), $"A rule name is 1 to {LifecycleRule.MaxNameLength} characters from a-z 0-9 - _ . : /, lower case.", nameof(name));
        Preconditions.Check(from.Count > 0 && !from.Contains(default) && !from.Contains(to), "A rule applies from at least one stage, none of them the default or its target.", nameof(from));
        _rules.Add(new LifecycleRule(name, [.. from.Distinct()], to, trigger, guard, LifecycleTransitionRecord.CheckText(reason ?? name, nameof(reason))));
        return this;
    }

    /// <summary>Validates the declarations and builds the model.</summary>
    /// <returns>The model.</returns>
    /// <exception cref="LifecycleModelException">
    /// <see cref="CrmErrorCodes.LifecycleUndeclaredStage"/>, <see cref="CrmErrorCodes.LifecycleUnreachableStage"/>,
    /// <see cref="CrmErrorCodes.LifecycleAmbiguousTrigger"/>, <see cref="CrmErrorCodes.LifecycleInactivityCycle"/> or
    /// <see cref="CrmErrorCodes.LifecycleDuplicateDeclaration"/>, naming the stages (and rules) involved.
    /// </exception>
    public LifecycleModel Build()
    {
        var stages = _stages.ToList();
        var duplicateStage = stages.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        if (duplicateStage is not null)
        {
            throw new LifecycleModelException(CrmErrorCodes.LifecycleDuplicateDeclaration, [duplicateStage.Key], $"stage {duplicateStage.Key} is declared twice");
        }

        var duplicateRule = _rules.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicateRule is not null)
        {
            throw new LifecycleModelException(CrmErrorCodes.LifecycleDuplicateDeclaration, [.. duplicateRule.SelectMany(r => r.From).Distinct()], $"rule '{duplicateRule.Key}' is declared twice");
        }

        var declared = stages.ToHashSet();
        foreach (var rule in _rules)
        {
            var undeclared = rule.From.Append(rule.To).Where(s => !declared.Contains(s)).Distinct().ToList();
            if (undeclared.Count > 0)
            {
                throw new LifecycleModelException(CrmErrorCodes.LifecycleUndeclaredStage, undeclared, $"rule '{rule.Name}' refers to undeclared stage(s) {string.Join(", ", undeclared)}");
            }
        }

        CheckAmbiguity();
        CheckInactivityCycles(stages);
        CheckReachability(stages);
        return new LifecycleModel(stages[0], stages, [.. _rules]);
    }

    private void CheckAmbiguity()
    {
        for (var i = 0; i < _rules.Count; i++)
        {
            for (var j = i + 1; j < _rules.Count; j++)
            {
                var (a, b) = (_rules[i], _rules[j]);
                if (!a.Trigger.Overlaps(b.Trigger))
                {
                    continue;
                }

                var shared = a.From.Intersect(b.From).ToList();
                if (shared.Count > 0)
                {
                    throw new LifecycleModelException(
                        CrmErrorCodes.LifecycleAmbiguousTrigger,
                        shared,
                        $"rules '{a.Name}' and '{b.Name}' could both fire on {a.Trigger} from stage(s) {string.Join(", ", shared)}");
                }
            }
        }
    }

    private void CheckInactivityCycles(List<LifecycleStage> stages)
    {
        var next = new Dictionary<LifecycleStage, LifecycleStage>();
        foreach (var rule in _rules.Where(r => r.Trigger.Kind == LifecycleTriggerKind.Inactivity))
        {
            foreach (var from in rule.From)
            {
                next[from] = rule.To;
            }
        }

        foreach (var start in stages)
        {
            // Each stage has at most one inactivity successor (ambiguity was checked), so following it either ends or cycles.
            var path = new List<LifecycleStage> { start };
            var current = start;
            while (next.TryGetValue(current, out var following))
            {
                if (path.Contains(following))
                {
                    var cycle = path.Skip(path.IndexOf(following)).ToList();
                    throw new LifecycleModelException(CrmErrorCodes.LifecycleInactivityCycle, cycle, $"inactivity rules cycle through {string.Join(" -> ", cycle)} -> {following}");
                }

                path.Add(following);
                current = following;
            }
        }
    }

    private void CheckReachability(List<LifecycleStage> stages)
    {
        var reached = new HashSet<LifecycleStage> { stages[0] };
        var queue = new Queue<LifecycleStage>(reached);
        while (queue.TryDequeue(out var stage))
        {
            foreach (var rule in _rules)
            {
                if (rule.From.Contains(stage) && reached.Add(rule.To))
                {
                    queue.Enqueue(rule.To);
                }
            }
        }

        var unreachable = stages.Where(s => !reached.Contains(s)).ToList();
        if (unreachable.Count > 0)
        {
            throw new LifecycleModelException(CrmErrorCodes.LifecycleUnreachableStage, unreachable, $"stage(s) {string.Join(", ", unreachable)} cannot be reached from {stages[0]}");
        }
    }
}
